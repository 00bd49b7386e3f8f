"""Account changes need the password's proof, and the login backoff cannot be turned against a
user (issue 13, items 3 and 4), on a real cofferd on 127.0.0.1. Clients connect from other
loopback addresses (127.0.0.2 ...) to stand for other machines.

- A stolen session token alone cannot change the password: 403 proof_failed, the key bundle
  and the login stay as they were; wrong proofs count in the backoff of the thief's address.
- With the current auth_key the change works and the master key survives the re-sealing.
- Six wrong passwords for a user from address A block that user at A (429, Retry-After), not
  at B; many names from one address block the address."""

import base64
import json
import os
import sys

from coffer_harness import CofferServer, b64, derive_login_keys, fernet, open_key_bundle, unb64

# A long first block, so nothing below races the clock; few free failures per address, so the
# spray check is short.
CONFIG = "login_backoff:\n  base_delay: 10m\n  address_free_failures: 8\n"
A, B, C, D = "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"


def password_change(current_auth_key, password, kek_old, sealed_bundle):
    """The body of PUT /v1/account/password moving to `password`, the bundle re-sealed."""
    kdf = {"algorithm": "scrypt", "n": 16384, "r": 8, "p": 1, "salt": b64(os.urandom(16))}
    auth_key, kek = derive_login_keys(password, kdf)
    plain = fernet(kek_old).decrypt(base64.urlsafe_b64encode(unb64(sealed_bundle)))
    resealed = b64(unb64(fernet(kek).encrypt(plain).decode()))
    body = {"kdf": kdf, "auth_key": b64(auth_key), "key_bundle": resealed}
    if current_auth_key is not None:
        body["current_auth_key"] = b64(current_auth_key)
    return body


def audit_events(server, user):
    events = json.loads(server.admin("--json", "audit").stdout)["events"]
    return [e for e in events if e["user"] == user]


def check_stolen_token(server):
    server.add_user("alice", "alice password")
    owner = server.login("alice", "alice password", "laptop")
    account = owner.expect(200, "GET", "/v1/account")
    master = open_key_bundle(owner.kek, account["key_bundle"])
    thief = server.client(owner.token, source=D)  # the owner's token, used from elsewhere

    body = password_change(None, "thief password", owner.kek, account["key_bundle"])
    status, answer = thief.put("/v1/account/password", body)
    assert status == 400 and "current_auth_key" in answer["message"], (status, answer)
    for attempt in range(6):
        body = password_change(os.urandom(32), "thief password", owner.kek, account["key_bundle"])
        status, answer = thief.put("/v1/account/password", body)
        assert status == 403 and answer["error"] == "proof_failed", (attempt, status, answer)
    status, answer = thief.put("/v1/account/password", body)
    assert status == 429 and answer["error"] == "rate_limited", (status, answer)
    assert int(thief.last_headers["Retry-After"]) > 0 and answer["retry_after"] > 0, answer

    assert owner.expect(200, "GET", "/v1/account")["key_bundle"] == account["key_bundle"], "the bundle changed"
    again = server.login("alice", "alice password", "phone")  # the owner's password still works
    assert open_key_bundle(again.kek, again.expect(200, "GET", "/v1/account")["key_bundle"]) == master
    refused = [e for e in audit_events(server, "alice") if e["event"] == "password_change_refused"]
    assert len(refused) == 6 and all(e["address"] == D for e in refused), refused
    assert "blocked for 600 s" in refused[-1]["detail"], refused[-1]
    print("stolen token: no proof 400, wrong proof 403 proof_failed x6 then 429; bundle and login unchanged")

    body = password_change(owner.auth_key, "new alice password", owner.kek, account["key_bundle"])
    owner.expect(204, "PUT", "/v1/account/password", body)
    assert again.get("/v1/account")[0] == 401, "a password change ends the other sessions"
    fresh = server.login("alice", "new alice password", "laptop", source=B)
    assert open_key_bundle(fresh.kek, fresh.expect(200, "GET", "/v1/account")["key_bundle"]) == master
    status, _ = server.client(source=B).post("/v1/sessions", {"user": "alice", "auth_key": b64(owner.auth_key),
                                                               "device": "old"})
    assert status == 401, "the old password must stop working"
    print("with the current auth_key: 204, new password logs in, same master key, old one refused")


def wrong_login(server, user, source):
    status, params = server.client(source=source).get("/v1/auth/params?user=" + user)
    assert status == 200, params
    auth_key, _ = derive_login_keys("not the password", params["kdf"])
    return server.client(source=source).post("/v1/sessions", {"user": user, "auth_key": b64(auth_key),
                                                              "device": "guess"})


def check_backoff_per_address(server):
    server.add_user("xavier", "xavier password")
    server.add_user("yvonne", "yvonne password")
    for attempt in range(6):
        status, answer = wrong_login(server, "xavier", A)
        assert status == 401 and answer["error"] == "unauthenticated", (attempt, status, answer)
    at_a = server.client(source=A)
    status, params = at_a.get("/v1/auth/params?user=xavier")
    auth_key, _ = derive_login_keys("xavier password", params["kdf"])
    status, answer = at_a.post("/v1/sessions", {"user": "xavier", "auth_key": b64(auth_key), "device": "a"})
    assert status == 429 and answer["retry_after"] > 0, (status, answer)
    assert int(at_a.last_headers["Retry-After"]) == answer["retry_after"], at_a.last_headers
    server.login("xavier", "xavier password", "home", source=B)  # the owner, from elsewhere: 201
    status, _ = at_a.post("/v1/sessions", {"user": "xavier", "auth_key": b64(auth_key), "device": "a"})
    assert status == 429, "a success elsewhere must not lift the block at A"
    server.login("yvonne", "yvonne password", "desk", source=A)  # A is not blocked for others yet
    failed = [e for e in audit_events(server, "xavier") if e["event"] == "login_failed"]
    assert len(failed) == 6 and all(e["address"] == A for e in failed), failed
    assert "blocked for 600 s" in failed[-1]["detail"] and "blocked" not in failed[-2]["detail"], failed
    print("backoff: 6 failures for xavier at A -> 429 at A with Retry-After, 201 at B; yvonne at A still logs in")

    for i in range(8):  # address_free_failures, spread over names that do not exist
        status, _ = wrong_login(server, f"ghost{i}", C)
        assert status == 401, (i, status)
    status, answer = wrong_login(server, "ghost-last", C)
    assert status == 401, (status, answer)  # the ninth failure starts the address's block
    at_c = server.client(source=C)
    status, params = at_c.get("/v1/auth/params?user=yvonne")
    auth_key, _ = derive_login_keys("yvonne password", params["kdf"])
    status, answer = at_c.post("/v1/sessions", {"user": "yvonne", "auth_key": b64(auth_key), "device": "c"})
    assert status == 429, "an address spraying names backs off for every name"
    server.login("yvonne", "yvonne password", "desk", source=B)
    print("backoff: names sprayed from C block C for every name, not the users elsewhere")


def main():
    with CofferServer(config_text=CONFIG) as server:
        check_stolen_token(server)
        check_backoff_per_address(server)
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
