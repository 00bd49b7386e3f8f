"""Authorization matrix: for every route, bob using alice's node, blob, version and session ids
gets 403 or 404 and changes nothing; an expired or revoked session gets 401 everywhere."""

import os
import sys

from coffer_harness import CofferServer, b64, blob_id, new_node_id
from server_scenario import Scenario, any_b64, fernet_like


def entry_body(parent):
    return {"parent_id": parent, "name": fernet_like(), "name_tag": os.urandom(32).hex(), "wrapped_key": any_b64()}


def foreign_requests(s):
    """(method, path, body, expected statuses) for bob reaching for alice's things."""
    a_root, folder, file, tag, ftag = s.alice.root_id, s.folder, s.file, s.folder_tag, s.file_tag
    b_root = s.bob.root_id
    move = {"new_parent_id": b_root, "name": fernet_like(), "name_tag": os.urandom(32).hex(),
            "wrapped_key": any_b64(), "mode": "noreplace"}
    move_in = dict(move, new_parent_id=folder)
    commit = {"base_version": 1, "version": 2, "manifest": any_b64(), "chunks": [s.blob]}
    create = {"node_id": new_node_id(), "type": "file", "parent_id": folder, "name": fernet_like(),
              "name_tag": os.urandom(32).hex(), "wrapped_key": any_b64(), "attributes": any_b64(),
              "attributes_revision": 1}
    entry_batch = {"ops": [dict(create, op="create", node_id=new_node_id()),
                           {"op": "remove", "parent_id": folder, "name_tag": ftag}]}
    content_batch = {"ops": [{"op": "set_attributes", "node_id": file, "attributes": any_b64(), "revision": 2,
                              "base_revision": 1},
                             {"op": "commit", "node_id": file, "base_version": 1, "version": 2,
                              "manifest": any_b64(), "chunks": [], "blobs": []}]}
    return [
        ("GET", f"/v1/nodes/{file}", None, {404}),
        ("GET", f"/v1/nodes/{a_root}", None, {404}),
        ("GET", f"/v1/nodes/{a_root}/entries", None, {404}),
        ("GET", f"/v1/nodes/{a_root}/entries/{tag}", None, {404}),
        ("POST", "/v1/nodes", create, {404}),
        ("POST", f"/v1/nodes/{file}/links", entry_body(b_root), {404}),
        ("POST", f"/v1/nodes/{s.bob_file}/links", entry_body(folder), {404}),
        ("POST", f"/v1/nodes/{folder}/entries/{ftag}/move", move, {404}),
        ("POST", f"/v1/nodes/{b_root}/entries/{s.bob_file_tag}/move", move_in, {404}),
        ("DELETE", f"/v1/nodes/{folder}/entries/{ftag}", None, {404}),
        ("DELETE", f"/v1/nodes/{a_root}/entries/{tag}", None, {404}),
        ("PUT", f"/v1/nodes/{file}/attributes", {"attributes": any_b64(), "revision": 2, "base_revision": 1}, {404}),
        ("GET", f"/v1/blobs/{s.blob}", None, {404}),
        ("HEAD", f"/v1/blobs/{s.blob}", None, {404}),
        ("POST", f"/v1/nodes/{file}/versions", commit, {404}),
        ("POST", f"/v1/nodes/{s.bob_file}/versions", dict(commit, base_version=0, version=1), {400}),
        ("GET", f"/v1/nodes/{file}/versions", None, {404}),
        ("GET", f"/v1/nodes/{file}/versions/1", None, {404}),
        ("GET", f"/v1/nodes/{file}/versions/current", None, {404}),
        ("DELETE", f"/v1/sessions/{s.alice_session}", None, {404}),
        ("GET", "/v1/admin/users", None, {403}),
        ("GET", "/v1/admin/stats", None, {403}),
        ("GET", "/v1/admin/audit", None, {403}),
        ("POST", "/v1/batch", entry_batch, {404}),  # the folder records name alice's folders
        ("POST", "/v1/batch", content_batch, {200}),
    ]


def check_foreign_access(s):
    before = s.alice_view()
    for method, path, body, expected in foreign_requests(s):
        status, answer = s.bob.client.request(method, path, body)
        assert status in expected, f"bob {method} {path}: {status} {answer}"
        if path == "/v1/batch" and status == 200:
            codes = [result["status"] for result in answer["results"]]
            assert codes == [404, 404], codes
    assert s.alice_view() == before, "bob's attempts changed alice's data"
    status, _ = s.alice.client.get("/v1/account")
    assert status == 200, "alice's session must survive bob's revoke attempt"
    status, feed = s.bob.client.get("/v1/changes?cursor=0")
    alice_nodes = {s.alice.root_id, s.folder, s.file}
    assert status == 200 and not alice_nodes & {c["node_id"] for c in feed["changes"]}, feed
    print("foreign access: every route refused, nothing changed")


def check_read_grant(s):
    """With a read grant bob may read alice's folder and file but every change is a 403."""
    s.grant(s.folder, "bob", "read")
    c = s.bob.client
    assert c.get(f"/v1/nodes/{s.file}")[0] == 200
    assert c.get(f"/v1/nodes/{s.folder}/entries")[0] == 200
    assert c.get(f"/v1/blobs/{s.blob}", raw=True) == (200, s.blob_data)
    before = s.alice_view()
    attempts = [
        ("PUT", f"/v1/nodes/{s.file}/attributes", {"attributes": any_b64(), "revision": 2, "base_revision": 1}),
        ("POST", f"/v1/nodes/{s.file}/versions", {"base_version": 1, "version": 2, "manifest": any_b64(),
                                                   "chunks": [s.blob]}),
        ("DELETE", f"/v1/nodes/{s.folder}/entries/{s.file_tag}", None),
        ("POST", "/v1/nodes", {"node_id": new_node_id(), "type": "file", "parent_id": s.folder,
                               "name": fernet_like(), "name_tag": os.urandom(32).hex(), "wrapped_key": any_b64(),
                               "attributes": any_b64(), "attributes_revision": 1}),
    ]
    for method, path, body in attempts:
        status, answer = c.request(method, path, body)
        assert status == 403, f"read-only {method} {path}: {status} {answer}"
    assert c.get(f"/v1/nodes/{s.alice.root_id}")[0] == 404, "the grant must not reach above the folder"
    assert s.alice_view() == before
    print("read grant: reads allowed, writes 403")


def every_user_route(s):
    file, folder = s.file, s.folder
    return [("GET", "/v1/account"), ("PUT", "/v1/account/password"), ("GET", "/v1/sessions"),
            ("DELETE", "/v1/sessions/current"), ("DELETE", f"/v1/sessions/{s.alice_session}"),
            ("GET", "/v1/users/bob/public_key"), ("POST", "/v1/nodes"), ("GET", f"/v1/nodes/{file}"),
            ("GET", f"/v1/nodes/{folder}/entries"), ("GET", f"/v1/nodes/{folder}/entries/{s.file_tag}"),
            ("DELETE", f"/v1/nodes/{folder}/entries/{s.file_tag}"),
            ("POST", f"/v1/nodes/{folder}/entries/{s.file_tag}/move"), ("POST", f"/v1/nodes/{file}/links"),
            ("PUT", f"/v1/nodes/{file}/attributes"), ("PUT", f"/v1/blobs/{s.blob}"), ("GET", f"/v1/blobs/{s.blob}"),
            ("HEAD", f"/v1/blobs/{s.blob}"), ("POST", f"/v1/nodes/{file}/versions"),
            ("GET", f"/v1/nodes/{file}/versions"), ("GET", f"/v1/nodes/{file}/versions/current"),
            ("POST", "/v1/batch"), ("GET", "/v1/changes?cursor=0"), ("GET", "/v1/usage"),
            ("GET", "/v1/admin/users"), ("GET", "/v1/admin/stats"), ("GET", "/v1/admin/audit")]


def check_dead_sessions(server, s):
    revoked = server.login("alice", "alice password", "to revoke")
    assert revoked.delete("/v1/sessions/current")[0] == 204
    expired = server.login("alice", "alice password", "to expire")
    s.expire_session(expired.login_response["session_id"])
    garbage = server.client("f" * 64)
    no_token = server.client()
    before = s.alice_view()
    for client, what in [(revoked, "revoked"), (expired, "expired"), (garbage, "unknown"), (no_token, "missing")]:
        for method, path in every_user_route(s):
            status, answer = client.request(method, path, {} if method in ("POST", "PUT") else None)
            assert status == 401, f"{what} session, {method} {path}: {status} {answer}"
    assert s.alice_view() == before
    print("dead sessions: 401 on every route")


def main():
    with CofferServer() as server:
        s = Scenario(server)
        check_foreign_access(s)
        check_read_grant(s)
        check_dead_sessions(server, s)
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
