"""Content: blobs (Range, HEAD, dedup), versions (stale base -> 409), the batch route, quotas
(507) and usage, and the change feed (exactly the changes after a cursor; long poll)."""

import os
import sys
import threading
import time

from coffer_harness import CofferServer, b64, blob_id, name_tag, new_node_id
from server_scenario import Scenario, any_b64


def check_blobs(s):
    c = s.alice.client
    data = s.blob_data
    assert c.get("/v1/blobs/" + s.blob, raw=True) == (200, data)
    status, part = c.get("/v1/blobs/" + s.blob, headers={"Range": "bytes=100-199"}, raw=True)
    assert status == 206 and part == data[100:200], status
    status, tail = c.get("/v1/blobs/" + s.blob, headers={"Range": "bytes=-10"}, raw=True)
    assert status == 206 and tail == data[-10:], status
    assert c.get("/v1/blobs/" + s.blob, headers={"Range": "bytes=99999-"}, raw=True)[0] == 416
    status, _ = c.head("/v1/blobs/" + s.blob)
    assert status == 200 and int(c.last_headers["Content-Length"]) == len(data)
    status, answer = c.put("/v1/blobs/" + s.blob, data)
    assert status == 200 and answer == {"blob_id": s.blob, "size": len(data)}, (status, answer)
    status, answer = s.bob.client.put("/v1/blobs/" + s.blob, data)
    assert status == 200, "bob proved he has the bytes; the blob is stored once"
    assert s.bob.client.get("/v1/blobs/" + s.blob, raw=True) == (200, data)
    # Larger than one piece of the server's answer (256 KiB) and of its O_DIRECT writes (1 MiB),
    # with a tail that is not a whole disk block.
    big = os.urandom(3 * 1024 * 1024 + 5)
    big_id = s.alice.upload(big)
    assert c.get("/v1/blobs/" + big_id, raw=True) == (200, big)
    status, middle = c.get("/v1/blobs/" + big_id, headers={"Range": "bytes=300000-2900000"}, raw=True)
    assert status == 206 and middle == big[300000:2900001], status
    print("blobs: ranges 206/416, HEAD, stored once, readable by whoever uploaded it, 3 MiB whole")


def check_versions(s):
    a = s.alice
    f = a.create(a.root_id, "versions.bin")["node"]["node_id"]
    chunks = [a.upload(os.urandom(1000 + i)) for i in range(3)]
    assert a.commit(f, chunks[:2]) == (201, {"version": 1})
    assert a.commit(f, chunks, base_version=1) == (201, {"version": 2})
    status, answer = a.commit(f, chunks, base_version=1)
    assert status == 409 and answer["current_version"] == 2, answer
    status, answer = a.commit(f, chunks, base_version=0)
    assert status == 409 and answer["current_version"] == 2, answer
    listing = a.client.expect(200, "GET", f"/v1/nodes/{f}/versions")["versions"]
    assert [v["version"] for v in listing] == [1, 2] and listing[1]["size"] == 1000 + 1001 + 1002
    current = a.client.expect(200, "GET", f"/v1/nodes/{f}/versions/current")
    assert current["version"] == 2 and current["chunks"] == chunks
    assert a.client.expect(200, "GET", f"/v1/nodes/{f}/versions/1")["chunks"] == chunks[:2]
    assert a.client.get(f"/v1/nodes/{f}/versions/3")[0] == 404
    node = a.client.expect(200, "GET", f"/v1/nodes/{f}")
    assert node["version"] == 2 and node["size"] == 3003, node
    hinted = {"base_version": 2, "version": 3, "manifest": any_b64(), "chunks": chunks, "plain_size_hint": None}
    assert a.client.post(f"/v1/nodes/{f}/versions", hinted) == (201, {"version": 3})
    folder_commit = a.commit(s.folder, [])
    assert folder_commit[0] == 400, folder_commit
    print("versions: stale base 409 with current_version, list, current, detail")


def check_removes_and_the_trash(s):
    """A remove that names a version removes nothing newer; a file in the trash takes no commit."""
    a = s.alice
    f = a.create(a.root_id, "edited.bin")["node"]["node_id"]
    chunk = a.upload(os.urandom(100))
    assert a.commit(f, [chunk]) == (201, {"version": 1})
    remove = {"op": "remove", "parent_id": a.root_id, "name_tag": name_tag(a.root_key, "edited.bin")}
    stale = a.client.expect(200, "POST", "/v1/batch", {"ops": [dict(remove, expected_version=0)]})["results"][0]
    assert stale["status"] == 409 and stale["body"]["error"] == "conflict", stale
    assert a.client.expect(200, "GET", f"/v1/nodes/{f}")["nlink"] == 1
    done = a.client.expect(200, "POST", "/v1/batch", {"ops": [dict(remove, expected_version=1)]})["results"][0]
    assert done["status"] == 204, done
    assert a.client.expect(200, "GET", f"/v1/nodes/{f}")["nlink"] == 0
    status, answer = a.commit(f, [chunk], base_version=1)
    assert status == 404 and "trash" in answer["message"], (status, answer)
    print("removes: expected_version older than the file's 409, current 204; a file in the trash takes no commit (404)")


def check_batch(s):
    a = s.alice
    folder = a.create_request(a.root_id, "batch", "folder")
    ops = [dict(folder, op="create")]
    files = []
    for i in range(20):
        request = a.create_request(folder["node_id"], f"small-{i}")
        data = os.urandom(300 + i)
        files.append((request["node_id"], data))
        ops.append(dict(request, op="create"))
        ops.append({"op": "commit", "node_id": request["node_id"], "base_version": 0, "version": 1,
                    "manifest": any_b64(), "chunks": [blob_id(data)], "blobs": [{"id": blob_id(data), "data": b64(data)}]})
    bad_blob = os.urandom(50)
    ops.append({"op": "commit", "node_id": files[0][0], "base_version": 1, "version": 2, "manifest": any_b64(),
                "chunks": [blob_id(bad_blob)], "blobs": [{"id": blob_id(b"other"), "data": b64(bad_blob)}]})
    ops.append({"op": "commit", "node_id": files[1][0], "base_version": 0, "version": 1, "manifest": any_b64(),
                "chunks": [], "blobs": []})
    ops.append({"op": "set_attributes", "node_id": files[2][0], "attributes": any_b64(), "revision": 2, "base_revision": 1})
    undone = a.client.expect(200, "POST", "/v1/batch",
                             {"ops": ops + [{"op": "remove", "parent_id": folder["node_id"], "name_tag": "0" * 64}]})
    statuses = [r["status"] for r in undone["results"]]
    assert statuses == [424] * 41 + [400, 409, 424, 404], statuses  # an entry op failed: nothing applied
    assert a.client.get(f"/v1/nodes/{files[0][0]}")[0] == 404
    assert a.client.expect(200, "POST", "/v1/batch", {"ops": ops[:1] + [{"op": "fly"}]})["results"][1]["status"] == 400
    results = a.client.expect(200, "POST", "/v1/batch", {"ops": ops})["results"]
    statuses = [r["status"] for r in results]
    assert statuses[:41] == [201] * 41, statuses
    assert statuses[41:] == [400, 409, 200], statuses[41:]  # commits and attributes fail alone
    assert results[42]["body"]["current_version"] == 1 and results[42]["body"]["error"] == "conflict"
    for node_id, data in files:
        detail = a.client.expect(200, "GET", f"/v1/nodes/{node_id}/versions/current")
        assert a.client.get("/v1/blobs/" + detail["chunks"][0], raw=True) == (200, data)
    assert a.client.head("/v1/blobs/" + blob_id(bad_blob))[0] == 404
    print("batch: 44 ops in one request; failed commits alone, a failed entry op undoes the whole batch")


def check_quota(server, s):
    server.admin("user", "quota", "bob", "20K")
    b = s.bob.client
    used = b.expect(200, "GET", "/v1/usage")
    assert used["quota"] == 20 * 1024
    first = os.urandom(8 * 1024)
    b.expect(201, "PUT", "/v1/blobs/" + blob_id(first), first)
    b.expect(200, "PUT", "/v1/blobs/" + blob_id(first), first)
    usage = b.expect(200, "GET", "/v1/usage")
    assert usage["used"] == used["used"] + 8 * 1024, "a blob counts once per user"
    second = os.urandom(16 * 1024)
    status, answer = b.put("/v1/blobs/" + blob_id(second), second)
    assert status == 507 and answer["error"] == "quota_exceeded", (status, answer)
    request = s.bob.create_request(s.bob.root_id, "over")
    ops = [dict(request, op="create"),
           {"op": "commit", "node_id": request["node_id"], "base_version": 0, "version": 1, "manifest": any_b64(),
            "chunks": [blob_id(second)], "blobs": [{"id": blob_id(second), "data": b64(second)}]}]
    statuses = [r["status"] for r in b.expect(200, "POST", "/v1/batch", {"ops": ops})["results"]]
    assert statuses == [201, 507], statuses
    grown = b.expect(200, "GET", "/v1/usage")["used"] - usage["used"]
    assert 0 < grown < 2048, f"only the created node's records and entry are charged, not the blob: {grown}"
    server.admin("user", "quota", "bob", "unlimited")
    assert b.put("/v1/blobs/" + blob_id(second), second)[0] == 201
    print("quota: 507 for PUT and batch, usage counts each blob once")


def check_feed(s):
    a, c = s.alice, s.alice.client
    start = c.expect(200, "GET", "/v1/changes?cursor=latest")["cursor"]
    assert c.expect(200, "GET", f"/v1/changes?cursor={start}")["changes"] == []
    f = a.create(a.root_id, "watched")["node"]["node_id"]
    a.commit(f, [a.upload(b"feed")])
    c.expect(200, "PUT", f"/v1/nodes/{f}/attributes", {"attributes": any_b64(), "revision": 2, "base_revision": 1})
    c.expect(204, "DELETE", f"/v1/nodes/{a.root_id}/entries/{a.create_request(a.root_id, 'watched')['name_tag']}")
    page = c.expect(200, "GET", f"/v1/changes?cursor={start}")
    kinds = [(ch["kind"], ch["node_id"], ch["parent_id"]) for ch in page["changes"]]
    assert kinds == [("created", f, a.root_id), ("version", f, None), ("attributes", f, None),
                     ("entry_removed", f, a.root_id), ("trashed", f, None)], kinds
    cursors = [ch["cursor"] for ch in page["changes"]]
    assert cursors == sorted(cursors) and cursors[0] > start and page["cursor"] == cursors[-1]
    middle = cursors[1]
    assert [ch["cursor"] for ch in c.expect(200, "GET", f"/v1/changes?cursor={middle}")["changes"]] == cursors[2:]
    assert s.bob.client.expect(200, "GET", f"/v1/changes?cursor={start}")["changes"] == [], "bob sees none of it"

    answer = {}
    waiter = threading.Thread(target=lambda: answer.update(
        page=c.expect(200, "GET", f"/v1/changes?cursor={page['cursor']}&timeout=20"), at=time.time()))
    waiter.start()
    time.sleep(0.5)
    made = time.time()
    a.create(a.root_id, "wakes the poll")
    waiter.join(30)
    assert answer["page"]["changes"][0]["kind"] == "created" and answer["at"] - made < 2, answer
    began = time.time()
    quiet = c.expect(200, "GET", f"/v1/changes?cursor={answer['page']['cursor']}&timeout=1")
    assert quiet["changes"] == [] and 0.9 < time.time() - began < 5
    print("change feed: exactly the changes after a cursor, per user, long poll wakes on a change")


def main():
    with CofferServer() as server:
        s = Scenario(server)
        check_blobs(s)
        check_versions(s)
        check_removes_and_the_trash(s)
        check_batch(s)
        check_quota(server, s)
        check_feed(s)
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
