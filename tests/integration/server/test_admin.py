"""cofferd's start-up checks and shutdown, coffer-admin's commands, logins (backoff, password
change, invites) and HTTPS with a certificate from `coffer-admin tls init`."""

import hashlib
import json
import os
import signal
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
import http.client

from coffer_harness import CofferServer, Client, HarnessError, b64, bin_path, derive_login_keys, new_node_id
from server_scenario import any_b64


def start_failure(args, timeout=20):
    result = subprocess.run([bin_path("cofferd")] + args, capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stderr


def check_start_checks(tmp):
    config = os.path.join(tmp, "bad.yaml")
    with open(config, "w") as f:
        f.write("listen: 127.0.0.1:0\nlimits:\n  threads: 8\n  treads: 9\n")
    code, err = start_failure(["--config", config, "--data", os.path.join(tmp, "d1")])
    assert code == 1 and f"{config}:4: limits.treads: unknown option" in err, err
    with open(config, "w") as f:
        f.write("listen: 127.0.0.1:0\nsessions:\n  lifetime: forever\n")
    code, err = start_failure(["--config", config, "--data", os.path.join(tmp, "d1")])
    assert code == 1 and f"{config}:3: sessions.lifetime:" in err, err
    code, err = start_failure(["--data", os.path.join(tmp, "d1"), "--listen", "0.0.0.0:0"])
    assert code == 1 and "allow_insecure_http" in err, err
    code, err = start_failure(["--listen", "127.0.0.1:0"])
    assert code == 1 and "data" in err, err
    print("start-up: unknown key and bad value name file, line and key; plain HTTP off loopback refused")


def check_schema_and_lock(server):
    second = subprocess.run([bin_path("cofferd"), "--data", server.data_dir, "--listen", "127.0.0.1:0"],
                            capture_output=True, text=True, timeout=20)
    assert second.returncode == 1 and "another cofferd" in second.stderr, second.stderr
    server.stop()
    with sqlite3.connect(os.path.join(server.data_dir, "coffer.db")) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute("PRAGMA user_version = 99")
    newer = subprocess.run([bin_path("cofferd"), "--data", server.data_dir, "--listen", "127.0.0.1:0"],
                           capture_output=True, text=True, timeout=20)
    assert newer.returncode == 1 and "newer cofferd" in newer.stderr, newer.stderr
    with sqlite3.connect(os.path.join(server.data_dir, "coffer.db")) as db:
        db.execute(f"PRAGMA user_version = {version}")
    server.start()
    print("data directory: one cofferd at a time; a newer schema is refused")


def check_shutdown(server):
    server.add_user("sleeper", "pw")
    client = server.login("sleeper", "pw")
    answer = {}
    poll = threading.Thread(target=lambda: answer.update(r=client.get("/v1/changes?cursor=latest")) or
                            answer.update(r=client.get(f"/v1/changes?cursor={answer['r'][1]['cursor']}&timeout=30")))
    poll.start()
    time.sleep(0.5)
    began = time.time()
    code = server.stop()
    poll.join(10)
    assert code == 0 and "stopped" in server.log(), server.log()
    assert answer["r"][0] == 200 and time.time() - began < 5, answer
    server.start()
    print("SIGTERM: the waiting long poll is answered, exit code 0")


def check_logins(server):
    server.add_user("carol", "carol password")
    anonymous = server.client()
    known = anonymous.expect(200, "GET", "/v1/auth/params?user=carol")
    ghost = anonymous.expect(200, "GET", "/v1/auth/params?user=ghost")
    assert ghost == anonymous.expect(200, "GET", "/v1/auth/params?user=ghost"), "the fake salt must be stable"
    assert ghost["kdf"]["salt"] != known["kdf"]["salt"] and set(ghost["kdf"]) == set(known["kdf"])
    wrong = {"user": "carol", "auth_key": b64(bytes(32)), "device": "guess"}
    for _ in range(5):
        status, answer = anonymous.post("/v1/sessions", wrong)
        assert status == 401 and answer["message"] == "wrong user name or password", answer
    status, answer = anonymous.post("/v1/sessions", wrong)
    assert status == 401  # the sixth failure starts the backoff
    status, answer = anonymous.post("/v1/sessions", wrong)
    assert status == 429 and int(anonymous.last_headers["Retry-After"]) >= 1, (status, answer)
    time.sleep(2.1)
    carol = server.login("carol", "carol password")
    other = server.login("carol", "carol password", "phone")
    kdf = {"algorithm": "scrypt", "n": 16384, "r": 8, "p": 1, "salt": b64(os.urandom(16))}
    auth_key, kek = derive_login_keys("new password", kdf)
    carol.expect(204, "PUT", "/v1/account/password", {"current_auth_key": b64(carol.auth_key), "kdf": kdf,
                                                      "auth_key": b64(auth_key), "key_bundle": any_b64()})
    assert other.get("/v1/account")[0] == 401, "other sessions end on a password change"
    assert carol.get("/v1/account")[0] == 200
    server.login("carol", "new password")
    try:
        server.login("carol", "carol password")
        raise AssertionError("the old password still works")
    except HarnessError:
        pass
    audit = server.admin("--json", "audit").stdout
    events = [e["event"] for e in json.loads(audit)["events"] if e["user"] == "carol"]
    assert events.count("login_failed") >= 6 and "password_changed" in events and "login_ok" in events, events
    print("logins: stable fake salt, 429 backoff with Retry-After, password change ends other sessions, audited")


def check_admin_commands(server):
    server.add_user("root", "root password", admin=True)
    root = server.login("root", "root password")
    assert root.expect(200, "GET", "/v1/admin/stats")["users"] >= 3
    assert any(u["user"] == "carol" for u in root.expect(200, "GET", "/v1/admin/users")["users"])
    listing = server.admin("user", "list").stdout
    assert listing.splitlines()[0].split() == ["USER", "ID", "ROLE", "STATE", "USED", "QUOTA", "CREATED"]
    users = {u["user"]: u for u in json.loads(server.admin("--json", "user", "list").stdout)["users"]}
    assert users["root"]["admin"] and not users["carol"]["admin"]
    # Global options after the command, as git's and rclone's.
    after = subprocess.run([bin_path("coffer-admin"), "user", "list", "--json", "--data", server.data_dir],
                           capture_output=True, text=True, timeout=60)
    assert after.returncode == 0, after.stderr
    assert {u["user"] for u in json.loads(after.stdout)["users"]} == set(users)
    carol = server.login("carol", "new password")
    server.admin("user", "disable", "carol")
    assert carol.get("/v1/account")[0] == 401, "disabling ends the sessions"
    assert server.client().post("/v1/sessions", {"user": "carol", "auth_key": b64(bytes(32)), "device": "d"})[0] == 401
    server.admin("user", "enable", "carol")
    server.login("carol", "new password")
    server.admin("user", "quota", "carol", "500M")
    assert {u["user"]: u for u in json.loads(server.admin("--json", "user", "list").stdout)["users"]}["carol"]["quota"] == 500 << 20
    bad = server.admin("user", "quota", "carol", "lots", check=False)
    assert bad.returncode == 1 and "not a size" in bad.stderr, bad.stderr
    sessions = json.loads(server.admin("--json", "session", "list", "carol").stdout)["sessions"]
    assert sessions, "carol has live sessions"
    victim = server.login("carol", "new password", "victim")
    server.admin("session", "revoke", victim.login_response["session_id"])
    assert victim.get("/v1/account")[0] == 401
    stats = server.admin("stats").stdout.splitlines()
    assert stats[0].split() == ["USERS", "SESSIONS", "NODES", "VERSIONS", "BLOBS", "BYTES", "LINKS"]
    server.admin("user", "delete", "carol")
    assert "carol" not in server.admin("user", "list").stdout
    assert "admin_user_delete" in server.admin("audit", "--since", "1h").stdout
    print("coffer-admin: user list/disable/enable/quota/delete, session list/revoke, stats, audit, --json")


def check_invite(server):
    out = json.loads(server.admin("--json", "user", "invite", "erin").stdout)
    code = out["invite"]
    assert "erin" in server.admin("user", "list").stdout
    kdf = {"algorithm": "scrypt", "n": 16384, "r": 8, "p": 1, "salt": b64(os.urandom(16))}
    auth_key, _ = derive_login_keys("erin password", kdf)
    body = {"invite": code, "kdf": kdf, "auth_key": b64(auth_key), "key_bundle": any_b64(), "public_key": b64(os.urandom(32)),
            "root_node_id": new_node_id(), "root_wrapped_key": any_b64(), "root_attributes": any_b64(),
            "root_folder_record": any_b64()}
    anonymous = server.client()
    assert anonymous.post("/v1/register", dict(body, invite="nope"))[0] == 401
    assert anonymous.expect(201, "POST", "/v1/register", body) == {"user": "erin"}
    assert anonymous.post("/v1/register", dict(body, root_node_id=new_node_id()))[0] == 401, "an invite works once"
    erin = server.login("erin", "erin password")
    assert erin.expect(200, "GET", "/v1/account")["root_node_id"] == body["root_node_id"]
    assert erin.expect(200, "GET", "/v1/users/erin/public_key")["public_key"] == body["public_key"]
    print("invite: one-time code, register, login")


def check_tls(tmp):
    tls_dir = os.path.join(tmp, "tls")
    out = subprocess.run([bin_path("coffer-admin"), "--data", os.path.join(tmp, "tlsdata"), "tls", "init", "--dir", tls_dir],
                         capture_output=True, text=True, check=True).stdout
    fingerprint = [line.split(": ")[1] for line in out.splitlines() if line.startswith("SHA-256 fingerprint")][0]
    assert len(fingerprint.split(":")) == 32
    config = f"tls:\n  certificate: {tls_dir}/cert.pem\n  private_key: {tls_dir}/key.pem\n"
    server = CofferServer(config_text=config)
    try:
        port = server.start(scheme="https").port
        context = ssl.create_default_context(cafile=f"{tls_dir}/cert.pem")
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
        connection.request("GET", "/v1/health")
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read()) == {"status": "ok"}
        der = connection.sock.getpeercert(binary_form=True)
        assert hashlib.sha256(der).hexdigest().upper() == fingerprint.replace(":", "")
    finally:
        server.close()
    print("TLS: tls init makes a pair cofferd serves HTTPS with; the printed fingerprint matches")


def main():
    with CofferServer() as server:
        check_start_checks(server.tmp)
        check_schema_and_lock(server)
        check_shutdown(server)
        check_logins(server)
        check_admin_commands(server)
        check_invite(server)
        check_tls(server.tmp)
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
