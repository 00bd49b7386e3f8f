"""Test harness for Coffer integration tests: a real cofferd on 127.0.0.1 with a temporary
data directory, accounts made with coffer-admin, and a small HTTP client that logs in exactly as
docs/api.md describes.

Use from a test (run with Debian's /usr/bin/python3; COFFER_BIN_DIR names the built binaries):

    from coffer_harness import CofferServer
    with CofferServer() as server:
        server.add_user("alice", "correct horse")
        alice = server.login("alice", "correct horse")
        status, body = alice.get("/v1/account")

Nothing here depends on a test framework; failures raise HarnessError or AssertionError.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt


class HarnessError(Exception):
    pass


def bin_path(name):
    """A built binary: $COFFER_BIN_DIR/name (CTest sets it), else build/bin/name."""
    directory = os.environ.get("COFFER_BIN_DIR")
    if not directory:
        source = os.environ.get("COFFER_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
        directory = os.path.join(source, "build", "bin")
    path = os.path.join(directory, name)
    if not os.access(path, os.X_OK):
        raise HarnessError(f"{path} is not built (set COFFER_BIN_DIR)")
    return path


# ---- encodings and the key derivations of docs/api.md / the crypto core -------------------

def b64(data):
    """Canonical base64url with padding, as the API carries binary values."""
    return base64.urlsafe_b64encode(data).decode("ascii")


def unb64(text):
    return base64.urlsafe_b64decode(text.encode("ascii"))


def hkdf(key, info, length=32):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info.encode()).derive(key)


def derive_login_keys(password, kdf):
    """(auth_key, kek) from a password and the "kdf" object of GET /v1/auth/params:
    scrypt(password, salt, n, r, p, 32 bytes) -> HKDF-SHA256 with infos coffer/v1/auth and
    coffer/v1/kek, empty salt."""
    if kdf["algorithm"] != "scrypt":
        raise HarnessError("unknown KDF " + kdf["algorithm"])
    secret = Scrypt(salt=unb64(kdf["salt"]), length=32, n=kdf["n"], r=kdf["r"], p=kdf["p"]).derive(password.encode())
    return hkdf(secret, "coffer/v1/auth"), hkdf(secret, "coffer/v1/kek")


def fernet(key):
    return Fernet(base64.urlsafe_b64encode(key))


def open_key_bundle(kek, sealed_b64):
    """The master key from a sealed key bundle: Fernet under kek of version(1) || master(32) || x25519 private(32)."""
    plain = fernet(kek).decrypt(base64.urlsafe_b64encode(unb64(sealed_b64)))
    if len(plain) != 65 or plain[0] != 1:
        raise HarnessError("unexpected key bundle format")
    return plain[1:33]


def wrap_key(wrapping_key, key):
    return b64(unb64(fernet(hkdf(wrapping_key, "coffer/v1/wrap")).encrypt(key).decode()))


def unwrap_key(wrapping_key, wrapped_b64):
    return fernet(hkdf(wrapping_key, "coffer/v1/wrap")).decrypt(base64.urlsafe_b64encode(unb64(wrapped_b64)))


def encrypt_name(parent_key, name):
    return fernet(hkdf(parent_key, "coffer/v1/name-token")).encrypt(name.encode()).decode()


def name_tag(parent_key, name):
    return hmac.new(hkdf(parent_key, "coffer/v1/name"), name.encode(), hashlib.sha256).hexdigest()


def new_node_id():
    return os.urandom(16).hex()


def blob_id(data):
    return hashlib.sha256(data).hexdigest()


# ---- HTTP -----------------------------------------------------------------------------------

def is_node_id(value):
    return isinstance(value, str) and len(value) == 32 and all(c in "0123456789abcdef" for c in value)


def folders_changed(method, path, body):
    """The folders whose entries a request changes, and which of them it creates, as a client
    must know them to send their new records (docs/api.md, "Folder records")."""
    parts = path.split("?")[0].strip("/").split("/")
    changed, created = [], set()

    def op_folders(op):
        kind = op.get("op")
        if kind == "create":
            changed.append(op.get("parent_id"))
            if op.get("type") == "folder":
                changed.append(op.get("node_id"))
                created.add(op.get("node_id"))
        elif kind in ("link", "remove"):
            changed.append(op.get("parent_id"))
        elif kind == "move":
            changed.extend([op.get("from_parent_id"), op.get("new_parent_id")])

    if method == "POST" and parts == ["v1", "batch"]:
        for op in body.get("ops", []) if isinstance(body.get("ops"), list) else []:
            if isinstance(op, dict):
                op_folders(op)
    elif method == "POST" and parts == ["v1", "nodes"]:
        op_folders(dict(body, op="create"))
    elif method == "POST" and len(parts) == 4 and parts[:2] == ["v1", "nodes"] and parts[3] == "links":
        op_folders(dict(body, op="link"))
    elif method == "POST" and len(parts) == 6 and parts[3] == "entries" and parts[5] == "move":
        changed.extend([parts[2], body.get("new_parent_id")])
    elif method == "DELETE" and len(parts) == 5 and parts[:2] == ["v1", "nodes"] and parts[3] == "entries":
        changed.append(parts[2])
    else:
        return None
    return [f for f in dict.fromkeys(changed) if is_node_id(f)], created


class Client:
    """JSON over HTTP to one cofferd, optionally with a session token. Every call returns
    (status, body) where body is parsed JSON, raw bytes (blobs), or None (no content).

    Requests that change a folder's entries get the folders' next records added when their
    body has no "folders" (auto_folders): the current revisions come from GET /v1/nodes/ID and
    the records are opaque placeholders, since the server never opens them. Tests of the folder
    record rules send "folders" themselves."""

    def __init__(self, port, token=None, timeout=30, auto_folders=True, source=None):
        self.port = port
        self.source = source  # a local address to connect from (any of 127/8 on loopback)
        self.token = token
        self.timeout = timeout
        self.login_response = None
        self.auto_folders = auto_folders

    def folder_updates(self, folders, created=()):
        updates = []
        for folder in folders:
            status, node = (404, None) if folder in created else self.get(f"/v1/nodes/{folder}")
            base = node.get("folder_revision", 0) if status == 200 and isinstance(node, dict) else 0
            updates.append({"node_id": folder, "base_revision": base, "revision": base + 1,
                            "record": b64(os.urandom(120))})
        return updates

    def with_folders(self, method, path, body):
        if not self.auto_folders or not (body is None or isinstance(body, dict)) or "folders" in (body or {}):
            return body
        changed = folders_changed(method, path, body or {})
        if changed is None:
            return body
        return dict(body or {}, folders=self.folder_updates(*changed))

    def request(self, method, path, body=None, headers=None, raw=False):
        body = self.with_folders(method, path, body)
        all_headers = dict(headers or {})
        if self.token:
            all_headers["Authorization"] = "Bearer " + self.token
        data = body
        if body is not None and not isinstance(body, (bytes, bytearray)):
            data = json.dumps(body).encode()
            all_headers.setdefault("Content-Type", "application/json")
        source = (self.source, 0) if self.source else None
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout, source_address=source)
        try:
            connection.request(method, path, body=data, headers=all_headers)
            response = connection.getresponse()
            payload = response.read()
            self.last_headers = dict(response.getheaders())
            return response.status, self._decode(payload, response, raw)
        finally:
            connection.close()

    @staticmethod
    def _decode(payload, response, raw):
        if raw:
            return payload
        if not payload:
            return None
        if response.getheader("Content-Type", "").startswith("application/json"):
            return json.loads(payload)
        return payload

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def head(self, path, **kw):
        return self.request("HEAD", path, **kw)

    def expect(self, status, method, path, body=None, **kw):
        got, answer = self.request(method, path, body, **kw)
        if got != status:
            raise AssertionError(f"{method} {path}: expected {status}, got {got}: {answer!r}"[:2000])
        return answer


class Account:
    """A logged-in user with their keys, to build valid requests for their own tree."""

    def __init__(self, client, name, kek):
        self.client = client
        self.name = name
        status, account = client.get("/v1/account")
        if status != 200:
            raise HarnessError(f"GET /v1/account: {status} {account}")
        self.account = account
        self.master_key = open_key_bundle(kek, account["key_bundle"])
        self.root_id = account["root_node_id"]
        self.root_key = unwrap_key(self.master_key, account["root_wrapped_key"])
        self.keys = {self.root_id: self.root_key}

    def create_request(self, parent_id, name, node_type="file", node_id=None, attributes=None):
        """A valid POST /v1/nodes body (the attribute record is an opaque placeholder token)."""
        parent_key = self.keys[parent_id]
        node_id = node_id or new_node_id()
        node_key = os.urandom(32)
        self.keys[node_id] = node_key
        return {"node_id": node_id, "type": node_type, "parent_id": parent_id,
                "name": encrypt_name(parent_key, name), "name_tag": name_tag(parent_key, name),
                "wrapped_key": wrap_key(parent_key, node_key),
                "attributes": attributes or b64(os.urandom(64)), "attributes_revision": 1}

    def create(self, parent_id, name, node_type="file"):
        request = self.create_request(parent_id, name, node_type)
        return self.client.expect(201, "POST", "/v1/nodes", request)

    def upload(self, data):
        ident = blob_id(data)
        status, body = self.client.put("/v1/blobs/" + ident, data, headers={"Content-Type": "application/octet-stream"})
        if status not in (200, 201):
            raise HarnessError(f"PUT blob: {status} {body}")
        return ident

    def commit(self, node_id, chunks, base_version=0, manifest=None):
        body = {"base_version": base_version, "version": base_version + 1,
                "manifest": manifest or b64(os.urandom(80)), "chunks": chunks}
        return self.client.post(f"/v1/nodes/{node_id}/versions", body)


# ---- the server -----------------------------------------------------------------------------

class CofferServer:
    """cofferd on a free 127.0.0.1 port with its own temporary data directory."""

    def __init__(self, data_dir=None, config_text=None, keep=False):
        self.tmp = tempfile.mkdtemp(prefix="coffer-it-")
        self.data_dir = data_dir or os.path.join(self.tmp, "data")
        self.config_path = None
        if config_text is not None:
            self.config_path = os.path.join(self.tmp, "cofferd.yaml")
            with open(self.config_path, "w") as f:
                f.write(config_text)
        self.keep = keep
        self.process = None
        self.port = None
        self.log_path = os.path.join(self.tmp, "cofferd.log")

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def command(self, listen="127.0.0.1:0"):
        args = [bin_path("cofferd"), "--data", self.data_dir, "--listen", listen]
        if self.config_path:
            args += ["--config", self.config_path]
        return args

    def start(self, timeout=20, scheme="http"):
        """Starts cofferd (port 0 on the first start, the same port on restarts) and waits until it
        serves: /v1/health answers over HTTP; over HTTPS (a tls: config), once it logs its port."""
        listen = f"127.0.0.1:{self.port}" if self.port else "127.0.0.1:0"
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(self.command(listen), stdout=log, stderr=log)
        log.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"cofferd exited with {self.process.returncode}:\n{self.log()}")
            match = re.findall(rf"listening on {scheme}://127\.0\.0\.1:(\d+)", self.log())
            if match and (scheme == "https" or self._healthy(int(match[-1]))):
                self.port = int(match[-1])
                return self
            time.sleep(0.05)
        raise HarnessError("cofferd did not start:\n" + self.log())

    def _healthy(self, port):
        try:
            return Client(port, timeout=2).get("/v1/health")[0] == 200
        except OSError:
            return False

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def stop(self, timeout=20):
        """SIGTERM and wait: the clean shutdown. Returns the exit code."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a paused server could not act on SIGTERM
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=timeout)
        return self.process.returncode if self.process else None

    def pause(self):
        """SIGSTOP: a server that keeps its connections open and answers nothing (hung, or its
        machine suspended). resume() (SIGCONT) lets it go on; stop() and close() resume it first."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def kill(self):
        """SIGKILL: a crash."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def restart(self):
        self.stop()
        return self.start()

    def close(self):
        self.stop()
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- accounts --

    def admin(self, *args, check=True):
        """Runs coffer-admin on this server's data directory; returns the CompletedProcess."""
        command = [bin_path("coffer-admin"), "--data", self.data_dir] + list(args)
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise HarnessError(f"{' '.join(args)}: {result.returncode}\n{result.stdout}{result.stderr}")
        return result

    def add_user(self, name, password, admin=False, quota=None):
        path = os.path.join(self.tmp, f"password-{name}")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(password + "\n")
        args = ["user", "add", name, "--password-file", path]
        if admin:
            args.append("--admin")
        if quota is not None:
            args += ["--quota", str(quota)]
        self.admin(*args)

    def client(self, token=None, source=None):
        return Client(self.port, token, source=source)

    def login(self, name, password, device="harness", source=None):
        """Logs in as docs/api.md describes, from the local address `source` if given; returns a
        Client holding the session token (and .login_response, .kek, .auth_key)."""
        anonymous = self.client(source=source)
        status, params = anonymous.get("/v1/auth/params?user=" + urllib.parse.quote(name))
        if status != 200:
            raise HarnessError(f"auth params: {status} {params}")
        auth_key, kek = derive_login_keys(password, params["kdf"])
        status, session = anonymous.post("/v1/sessions", {"user": name, "auth_key": b64(auth_key), "device": device})
        if status != 201:
            raise HarnessError(f"login {name}: {status} {session}")
        logged_in = self.client(session["token"], source=source)
        logged_in.login_response = session
        logged_in.kek = kek
        logged_in.auth_key = auth_key
        return logged_in

    def account(self, name, password, device="harness"):
        """Logs in and opens the user's keys."""
        client = self.login(name, password, device)
        return Account(client, name, client.kek)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
