"""Account changes need the password's proof, and the login backoff cannot be turned against a
user (issue 13, items 3 and 4), on a real cofferd on 127.0.0.1. Clients connect from other
loopback addresses (127.0.0.2 ...) to stand for other machines.

- A stolen session token alone cannot change the password: 403 proof_failed, the key bundle
  and the login stay as they were; wrong proofs count in the backoff of the thief's address.
- With the current auth_key the change works and the master key survives the re-sealing.
- Six wrong passwords for a user from address A block that user at A (429, Retry-After), not
  at B; many names from one address block the address.
- Ending every other session needs the proof too (403 proof_failed, nothing ended without it)
  and keeps the caller's session.
- Deleting an account needs the proof and the account's name; it removes every row of the
  account and the blob files nobody else needs, and leaves another user's data as it was.
  The only admin cannot delete their account (409 last_admin)."""

import base64
import json
import os
import sqlite3
import sys

from coffer_harness import CofferServer, b64, blob_id, derive_login_keys, fernet, open_key_bundle, unb64

# A long first block, so nothing below races the clock; few free failures per address, so the
# spray check is short.
CONFIG = "login_backoff:\n  base_delay: 10m\n  address_free_failures: 8\n"
A, B, C, D, E = "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"


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


def check_revoke_others(server):
    server.add_user("rita", "rita password")
    server.add_user("sam", "sam password")
    laptop = server.login("rita", "rita password", "laptop")
    phone = server.login("rita", "rita password", "phone")
    tablet = server.login("rita", "rita password", "tablet", source=E)  # another machine
    sams = server.login("sam", "sam password", "desk")

    status, answer = laptop.post("/v1/sessions/revoke-others", {})
    assert status == 400 and "current_auth_key" in answer["message"], (status, answer)
    status, answer = laptop.post("/v1/sessions/revoke-others", {"current_auth_key": b64(os.urandom(32))})
    assert status == 403 and answer["error"] == "proof_failed", (status, answer)
    for client in (laptop, phone, tablet):
        assert client.get("/v1/account")[0] == 200, "a refused revocation must end nothing"
    refused = [e for e in audit_events(server, "rita") if e["event"] == "sessions_revoke_refused"]
    assert len(refused) == 1 and "wrong current auth key" in refused[0]["detail"], refused
    print("revoke-others: no proof 400, wrong proof 403 proof_failed; every session still works")

    answer = laptop.expect(200, "POST", "/v1/sessions/revoke-others", {"current_auth_key": b64(laptop.auth_key)})
    assert answer == {"revoked": 2}, answer
    for client in (phone, tablet):
        status, answer = client.get("/v1/account")
        assert status == 401 and answer["error"] == "unauthenticated", (status, answer)
    listed = laptop.expect(200, "GET", "/v1/sessions")["sessions"]
    assert [s["session_id"] for s in listed] == [laptop.login_response["session_id"]] and listed[0]["current"]
    sams.expect(200, "GET", "/v1/account")  # another user's session is not touched
    done = [e for e in audit_events(server, "rita") if e["event"] == "sessions_revoked"]
    assert len(done) == 1 and done[0]["detail"].startswith("2 other sessions revoked"), done
    print("revoke-others with the proof: 200 revoked 2; the others 401, the caller's and sam's still work")


def blob_path(server, ident):
    return os.path.join(server.data_dir, "blobs", ident[:2], ident)


def rows_of(server, user_id):
    """What the database still keeps for a user id, counted per table."""
    queries = {
        "users": "SELECT count(*) FROM users WHERE id = ?1",
        "sessions": "SELECT count(*) FROM sessions WHERE user_id = ?1",
        "nodes": "SELECT count(*) FROM nodes WHERE owner_id = ?1",
        "user_blobs": "SELECT count(*) FROM user_blobs WHERE user_id = ?1",
        "changes": "SELECT count(*) FROM changes WHERE owner_id = ?1",
        "grants": "SELECT count(*) FROM grants WHERE grantee_id = ?1",
        "versions": "SELECT count(*) FROM versions WHERE created_by = ?1",
    }
    with sqlite3.connect(os.path.join(server.data_dir, "coffer.db")) as db:
        return {table: db.execute(sql, (user_id,)).fetchone()[0] for table, sql in queries.items()}


def deletion(auth_key, confirm):
    body = {"confirm_user": confirm}
    if auth_key is not None:
        body["current_auth_key"] = b64(auth_key)
    return body


def check_delete_account(server):
    server.add_user("dora", "dora password")
    server.add_user("eve", "eve password")
    dora = server.account("dora", "dora password", "laptop")
    dora_phone = server.login("dora", "dora password", "phone")
    eve = server.account("eve", "eve password")
    only_dora, shared = os.urandom(3000), os.urandom(2000)
    dora.upload(only_dora)
    dora.upload(shared)
    eve.upload(shared)
    notes = dora.create(dora.root_id, "notes.txt")["node"]["node_id"]
    assert dora.commit(notes, [blob_id(only_dora), blob_id(shared)])[0] == 201
    kept = eve.create(eve.root_id, "kept.txt")["node"]["node_id"]
    assert eve.commit(kept, [blob_id(shared)])[0] == 201
    eve_usage = eve.client.expect(200, "GET", "/v1/usage")
    dora_id = dora.account["user_id"]
    before = rows_of(server, dora_id)
    assert before["nodes"] == 2 and before["user_blobs"] == 2 and before["sessions"] == 2, before

    c = dora.client
    for body, status, code in ((deletion(None, "dora"), 400, "bad_request"),
                               (deletion(c.auth_key, "eve"), 400, "bad_request"),
                               (deletion(os.urandom(32), "dora"), 403, "proof_failed")):
        got, answer = c.request("DELETE", "/v1/account", body)
        assert got == status and answer["error"] == code, (body.keys(), got, answer)
    assert rows_of(server, dora_id) == before, "a refused deletion must change nothing"
    assert os.path.exists(blob_path(server, blob_id(only_dora)))
    assert dora.client.expect(200, "GET", f"/v1/nodes/{notes}")["version"] == 1
    refused = [e for e in audit_events(server, "dora") if e["event"] == "account_delete_refused"]
    assert len(refused) == 1, refused
    print("account delete: no proof 400, wrong name 400, wrong proof 403 proof_failed; nothing changed")

    c.expect(204, "DELETE", "/v1/account", deletion(c.auth_key, "dora"))
    for client in (c, dora_phone):
        assert client.get("/v1/account")[0] == 401, "the account's sessions must end with it"
    status, params = server.client(source=B).get("/v1/auth/params?user=dora")
    auth_key, _ = derive_login_keys("dora password", params["kdf"])
    status, _ = server.client(source=B).post("/v1/sessions", {"user": "dora", "auth_key": b64(auth_key),
                                                               "device": "again"})
    assert status == 401, "a deleted account must not log in"
    assert all(count == 0 for count in rows_of(server, dora_id).values()), rows_of(server, dora_id)
    assert not os.path.exists(blob_path(server, blob_id(only_dora))), "a blob only dora needed must go"
    assert os.path.exists(blob_path(server, blob_id(shared))), "a blob eve holds must stay"
    assert eve.client.expect(200, "GET", "/v1/blobs/" + blob_id(shared)) == shared
    assert eve.client.expect(200, "GET", f"/v1/nodes/{kept}/versions/current")["chunks"] == [blob_id(shared)]
    assert eve.client.expect(200, "GET", "/v1/usage") == eve_usage
    users = json.loads(server.admin("--json", "user", "list").stdout)["users"]
    assert "dora" not in [u["user"] for u in users], users
    deleted = [e for e in audit_events(server, "dora") if e["event"] == "account_deleted"]
    assert len(deleted) == 1 and "1 blobs freed" in deleted[0]["detail"], deleted
    print("account delete with the proof: 204; no login, no rows, its own blob file gone; eve's data intact")


def check_last_admin(server):
    server.add_user("root", "root password", admin=True)
    root = server.login("root", "root password")
    status, answer = root.request("DELETE", "/v1/account", deletion(root.auth_key, "root"))
    assert status == 409 and answer["error"] == "last_admin", (status, answer)
    root.expect(200, "GET", "/v1/account")
    server.add_user("second", "second password", admin=True)
    root.expect(204, "DELETE", "/v1/account", deletion(root.auth_key, "root"))
    server.login("second", "second password")
    print("the only admin: 409 last_admin and the account stays; with another admin the deletion works")


def main():
    with CofferServer(config_text=CONFIG) as server:
        check_stolen_token(server)
        check_backoff_per_address(server)
        check_revoke_others(server)
        check_delete_account(server)
        check_last_admin(server)
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
