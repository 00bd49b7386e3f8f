"""An outsider who holds a share link (and maybe its password) and nothing else: no account, no
profile, no Coffer code. Written from docs/api.md "Links" and docs/crypto.md sections 4, 6, 11,
12.2, 12.4 and 16 with Python's `cryptography`, so a link `coffer link` made opening here is
also an interop check of the link format.

    reader = LinkReader(url, password=None)
    reader.info()                -> (status, body) of GET /v1/links/{id}
    reader.open()                -> opens the link (counts a download), checks the sealed key
    reader.read_file()           -> the linked file's bytes (after open)
    reader.list_folder(node_id, key) -> {name: (entry, child key)} of a linked folder
"""

import base64
import hashlib
import hmac
import http.client
import json
import struct
import urllib.parse

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt


class LinkRefused(Exception):
    """The server refused (status and body), or what it gave did not open."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


def b64(data):
    return base64.urlsafe_b64encode(data).decode("ascii")


def unb64(text):
    return base64.urlsafe_b64decode(text.encode("ascii"))


def hkdf(ikm, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(ikm)


def fernet(key):
    return Fernet(b64(key))


def decrypt_raw(key, raw_token):
    return fernet(key).decrypt(b64(raw_token).encode())


def subkey(key, purpose):
    return hkdf(key, ("coffer/v1/" + purpose).encode())


class Reader:
    """Reads the fields of a record plaintext, refusing what runs past the end."""

    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, size):
        if self.at + size > len(self.data):
            raise LinkRefused("a record is truncated")
        piece = self.data[self.at:self.at + size]
        self.at += size
        return piece

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def u64(self):
        return struct.unpack(">Q", self.take(8))[0]

    def node_id(self):
        return self.take(self.u16()).decode("ascii")


class LinkReader:
    def __init__(self, url, password=None):
        parsed = urllib.parse.urlsplit(url)
        if not parsed.path.startswith("/l/") or not parsed.fragment:
            raise ValueError("not a link URL: " + url)
        self.host, self.port = parsed.hostname, parsed.port
        self.link_id = parsed.path[len("/l/"):]
        self.secret = unb64(parsed.fragment)
        self.password = password
        self.token = None
        self.node_id = self.kind = self.key = None
        assert len(unb64(self.link_id)) == 16 and len(self.secret) == 32, "16-byte id, 32-byte secret"

    # --- HTTP ---------------------------------------------------------------------------------
    def request(self, method, path, raw=False):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Authorization": "Bearer " + self.token} if self.token else {}
        try:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        if raw and response.status == 200:
            return response.status, payload
        return response.status, json.loads(payload) if payload else None

    def expect(self, method, path, raw=False):
        status, body = self.request(method, path, raw)
        if status != 200:
            raise LinkRefused(f"{method} {path}: HTTP {status} {body}", status)
        return body

    def info(self):
        return self.request("GET", "/v1/links/" + urllib.parse.quote(self.link_id, safe=""))

    # --- docs/crypto.md section 16 ------------------------------------------------------------
    def seal_key(self, password_object):
        ikm = self.secret
        if password_object is not None:
            if self.password is None:
                raise LinkRefused("the link needs a password")
            kdf = password_object["kdf"]
            assert kdf["algorithm"] == "scrypt" and 2 ** 14 <= kdf["n"] <= 2 ** 22
            ikm += Scrypt(salt=unb64(password_object["salt"]), length=32, n=kdf["n"], r=kdf["r"],
                          p=kdf["p"]).derive(self.password.encode())
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=b"coffer link seal v1" + unb64(self.link_id)).derive(ikm)

    def open(self):
        status, info = self.info()
        if status != 200:
            raise LinkRefused(f"link info: HTTP {status} {info}", status)
        seal_key = self.seal_key(info["password"])
        opened = self.expect("POST", "/v1/links/" + urllib.parse.quote(self.link_id, safe="") + "/open")
        try:
            plaintext = decrypt_raw(seal_key, unb64(opened["sealed_key"]))
        except InvalidToken:
            raise LinkRefused("the sealed key does not open: a wrong URL or password") from None
        if len(plaintext) != 50 or plaintext[0] != 0x01 or plaintext[1:2] not in (b"F", b"D"):
            raise LinkRefused("the sealed key is malformed")
        kind = "folder" if plaintext[1:2] == b"D" else "file"
        if kind != opened["kind"] or plaintext[2:18].hex() != opened["node_id"]:
            raise LinkRefused("the sealed key names another node than the server")
        self.token, self.kind, self.node_id, self.key = opened["token"], kind, opened["node_id"], plaintext[18:]
        return opened

    # --- reading (sections 11, 12.2, 12.4) -----------------------------------------------------
    def read_node(self, node_id, key):
        """A file's bytes: the manifest under subkey(key, manifest), then each chunk by id."""
        version = self.expect("GET", f"/v1/nodes/{node_id}/versions/current")
        manifest = Reader(decrypt_raw(subkey(key, "manifest"), unb64(version["manifest"])))
        if manifest.take(2) != b"M\x03" or manifest.node_id() != node_id:
            raise LinkRefused("a manifest of another kind or node")
        manifest.u64()  # version
        size, chunk_size, count = manifest.u64(), manifest.u32(), manifest.u32()
        out = bytearray()
        for index in range(count):
            covered = min(chunk_size, size - index * chunk_size)
            if manifest.u8() == 0:
                out += bytes(covered)
                continue
            chunk_id, mac = manifest.take(32).hex(), manifest.take(32)
            manifest.u32()  # data blocks
            stored = self.expect("GET", f"/v1/blobs/{chunk_id}", raw=True)
            if hashlib.sha256(stored).hexdigest() != chunk_id or stored[-32:] != mac:
                raise LinkRefused("a chunk is not the one the manifest lists")
            piece = decrypt_raw(key, stored)
            if len(piece) != covered:
                raise LinkRefused("a chunk of the wrong length")
            out += piece
        if len(out) != size:
            raise LinkRefused("the file is not its manifest's size")
        return bytes(out)

    def read_file(self):
        assert self.kind == "file"
        return self.read_node(self.node_id, self.key)

    def list_folder(self, folder_id, key):
        """{name: (entry, child key)}: names decrypted and checked against their tags, each key
        opened from its sealed entry, which must name this folder, the node and the tag."""
        entries, after = {}, None
        while True:
            query = "?after=" + after if after else ""
            page = self.expect("GET", f"/v1/nodes/{folder_id}/entries{query}")
            for entry in page["entries"]:
                name = fernet(subkey(key, "name-token")).decrypt(entry["name"].encode())
                tag = hmac.new(subkey(key, "name"), name, hashlib.sha256).hexdigest()
                if tag != entry["name_tag"]:
                    raise LinkRefused("an entry's name does not match its tag")
                sealed = Reader(decrypt_raw(subkey(key, "entry"), unb64(entry["wrapped_key"])))
                if (sealed.take(2) != b"E\x02" or sealed.node_id() != folder_id
                        or sealed.node_id() != entry["node"]["node_id"] or sealed.take(32).hex() != tag):
                    raise LinkRefused("a sealed entry placed elsewhere")
                entries[name.decode()] = (entry, sealed.take(32))
            after = page.get("next")
            if not after:
                return entries
