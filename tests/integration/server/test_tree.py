"""Nodes and entries: create, list in pages, lookups, hard links, moves (noreplace, replace,
exchange, cycles), removal to the trash, attribute records with revisions."""

import os
import sys

from coffer_harness import CofferServer, encrypt_name, name_tag, new_node_id, wrap_key
from server_scenario import Scenario, any_b64


def move_body(account, new_parent, name, mode="noreplace", node_key=None):
    parent_key = account.keys[new_parent]
    return {"new_parent_id": new_parent, "name": encrypt_name(parent_key, name), "name_tag": name_tag(parent_key, name),
            "wrapped_key": wrap_key(parent_key, node_key or os.urandom(32)), "mode": mode}


def check_create_and_list(a):
    c = a.client
    folder = a.create(a.root_id, "many", "folder")["node"]["node_id"]
    names = [f"file-{i:03}" for i in range(25)]
    for name in names:
        a.create(folder, name)
    again = a.create_request(folder, "file-000")
    status, answer = c.post("/v1/nodes", again)
    assert status == 409 and answer["error"] == "already_exists", answer
    assert answer["existing"]["name_tag"] == name_tag(a.keys[folder], "file-000"), answer
    seen, after = [], ""
    while True:
        query = f"?limit=10" + (f"&after={after}" if after else "")
        page = c.expect(200, "GET", f"/v1/nodes/{folder}/entries{query}")
        seen += page["entries"]
        if page["next"] is None:
            break
        after = page["next"]
    tags = [e["name_tag"] for e in seen]
    assert tags == sorted(tags) and len(tags) == 25 and len(set(tags)) == 25
    entry = c.expect(200, "GET", f"/v1/nodes/{folder}/entries/{name_tag(a.keys[folder], 'file-007')}")
    assert entry["node"]["type"] == "file" and entry["node"]["nlink"] == 1
    assert c.get(f"/v1/nodes/{folder}/entries/{'0' * 64}")[0] == 404
    request = a.create_request(a.root_id, "dup-id")
    request["node_id"] = seen[0]["node"]["node_id"]
    status, answer = c.post("/v1/nodes", request)
    assert status == 409 and answer["error"] == "already_exists" and "existing" not in answer, answer
    print("create, 409 on clashes, pages in tag order, lookups")


def check_special_files(a):
    """FIFOs, sockets and device nodes: type "special", no content versions (400 like a folder,
    alone or in a batch), hard links like files, no bytes."""
    c = a.client
    special = a.create(a.root_id, "fifo", "special")["node"]
    assert special["type"] == "special" and special["version"] == 0 and special["size"] == 0, special
    node = special["node_id"]
    assert c.expect(200, "GET", f"/v1/nodes/{node}")["type"] == "special"
    chunk = a.upload(os.urandom(100))
    status, answer = a.commit(node, [chunk])
    assert status == 400 and answer["error"] == "bad_request", (status, answer)
    commit = {"op": "commit", "node_id": node, "base_version": 0, "version": 1, "manifest": any_b64(), "chunks": []}
    results = c.expect(200, "POST", "/v1/batch", {"ops": [commit]})["results"]
    assert results[0]["status"] == 400, results
    assert c.get(f"/v1/nodes/{node}/versions/current")[0] == 404
    alias = {"parent_id": a.root_id, "name": encrypt_name(a.root_key, "fifo-alias"),
             "name_tag": name_tag(a.root_key, "fifo-alias"), "wrapped_key": any_b64()}
    assert c.expect(201, "POST", f"/v1/nodes/{node}/links", alias)["node"]["nlink"] == 2
    status, answer = c.post("/v1/nodes", a.create_request(a.root_id, "pipe", "fifo"))
    assert status == 400 and "type" in answer["message"], (status, answer)
    print("special files: created and listed, versions refused (400), hard links, unknown types 400")


def check_links_and_trash(a):
    c = a.client
    f = a.create(a.root_id, "linked")["node"]["node_id"]
    other = a.create(a.root_id, "elsewhere", "folder")["node"]["node_id"]
    link = {"parent_id": other, "name": encrypt_name(a.keys[other], "alias"), "name_tag": name_tag(a.keys[other], "alias"),
            "wrapped_key": wrap_key(a.keys[other], a.keys[f])}
    assert c.expect(201, "POST", f"/v1/nodes/{f}/links", link)["node"]["nlink"] == 2
    assert c.post(f"/v1/nodes/{other}/links", dict(link, parent_id=a.root_id))[0] == 400  # folders have one entry
    c.expect(204, "DELETE", f"/v1/nodes/{a.root_id}/entries/{name_tag(a.root_key, 'linked')}")
    assert c.expect(200, "GET", f"/v1/nodes/{f}")["nlink"] == 1
    status, answer = c.delete(f"/v1/nodes/{a.root_id}/entries/{name_tag(a.root_key, 'elsewhere')}")
    assert status == 409 and answer["error"] == "not_empty", answer
    c.expect(204, "DELETE", f"/v1/nodes/{other}/entries/{name_tag(a.keys[other], 'alias')}")
    trashed = c.expect(200, "GET", f"/v1/nodes/{f}")
    assert trashed["nlink"] == 0, "a node without entries stays (in the trash)"
    relink = dict(link, parent_id=a.root_id, name=encrypt_name(a.root_key, "back"), name_tag=name_tag(a.root_key, "back"))
    assert c.expect(201, "POST", f"/v1/nodes/{f}/links", relink)["node"]["nlink"] == 1
    print("hard links, not_empty folders, trash on the last removal, relink out of the trash")


def check_moves(a):
    c = a.client
    top = a.create(a.root_id, "top", "folder")["node"]["node_id"]
    sub = a.create(top, "sub", "folder")["node"]["node_id"]
    deep = a.create(sub, "deep", "folder")["node"]["node_id"]
    f1 = a.create(top, "one.txt")["node"]["node_id"]
    a.create(top, "two.txt")
    top_tag = name_tag(a.root_key, "top")
    status, answer = c.post(f"/v1/nodes/{a.root_id}/entries/{top_tag}/move", move_body(a, deep, "top"))
    assert status == 400 and "itself" in answer["message"], answer
    one_tag = name_tag(a.keys[top], "one.txt")
    status, answer = c.post(f"/v1/nodes/{top}/entries/{one_tag}/move", move_body(a, top, "two.txt"))
    assert status == 409 and answer["error"] == "already_exists", answer
    assert answer["existing"]["node"]["node_id"] != f1, answer
    moved = c.expect(200, "POST", f"/v1/nodes/{top}/entries/{one_tag}/move",
                     move_body(a, top, "two.txt", "replace", a.keys[f1]))
    assert moved["node"]["node_id"] == f1 and moved["name_tag"] == name_tag(a.keys[top], "two.txt")
    assert c.get(f"/v1/nodes/{top}/entries/{one_tag}")[0] == 404
    two_tag = name_tag(a.keys[top], "two.txt")
    status, answer = c.post(f"/v1/nodes/{top}/entries/{two_tag}/move", move_body(a, top, "sub", "replace"))
    assert status == 409 and answer["error"] == "is_a_folder", answer  # a file cannot replace a folder
    exchange = move_body(a, sub, "deep", "exchange", a.keys[f1])
    exchange.update({"exchange_name": encrypt_name(a.keys[top], "deep-now"),
                     "exchange_name_tag": name_tag(a.keys[top], "deep-now"),
                     "exchange_wrapped_key": wrap_key(a.keys[top], a.keys[deep])})
    c.expect(200, "POST", f"/v1/nodes/{top}/entries/{two_tag}/move", exchange)
    assert c.expect(200, "GET", f"/v1/nodes/{sub}/entries/{name_tag(a.keys[sub], 'deep')}")["node"]["node_id"] == f1
    assert c.expect(200, "GET", f"/v1/nodes/{top}/entries/{name_tag(a.keys[top], 'deep-now')}")["node"]["node_id"] == deep
    across = move_body(a, a.root_id, "sub-moved")
    c.expect(200, "POST", f"/v1/nodes/{top}/entries/{name_tag(a.keys[top], 'sub')}/move", across)
    assert c.get(f"/v1/nodes/{top}/entries/{name_tag(a.keys[top], 'sub')}")[0] == 404
    print("moves: cycle 400, noreplace 409, replace, type mismatch 409, exchange, across folders")


def check_batch_moves_and_links(a):
    """The batch route's move and link ops: same answers as their own routes, in order; one
    failed entry op undoes the whole batch (the folder records commit to its whole result)."""
    c = a.client
    box = a.create(a.root_id, "batch-box", "folder")["node"]["node_id"]
    f = a.create(box, ".draft.tmp")["node"]["node_id"]
    temp_tag = name_tag(a.keys[box], ".draft.tmp")
    link = {"op": "link", "node_id": f, "parent_id": a.root_id, "name": encrypt_name(a.root_key, "draft-alias"),
            "name_tag": name_tag(a.root_key, "draft-alias"), "wrapped_key": wrap_key(a.root_key, a.keys[f])}
    rename = dict(move_body(a, box, "draft.txt", "replace", a.keys[f]), op="move", from_parent_id=box,
                  from_name_tag=temp_tag)
    stale = dict(rename, from_name_tag=name_tag(a.keys[box], "never-there"))
    clash = dict(link, node_id=box)  # a folder cannot get a second entry
    undone = c.expect(200, "POST", "/v1/batch", {"ops": [link, rename, stale, clash, dict(rename, mode="sideways")]})
    assert [r["status"] for r in undone["results"]] == [424, 424, 404, 424, 400], undone
    assert c.get(f"/v1/nodes/{box}/entries/{temp_tag}")[0] == 200, "nothing of the failed batch applies"
    assert [r["status"] for r in c.expect(200, "POST", "/v1/batch", {"ops": [clash]})["results"]] == [400]
    results = c.expect(200, "POST", "/v1/batch", {"ops": [link, rename]})["results"]
    assert [r["status"] for r in results] == [201, 200], results
    assert results[0]["body"]["node"]["nlink"] == 2 and results[1]["body"]["node"]["node_id"] == f, results
    assert c.get(f"/v1/nodes/{box}/entries/{temp_tag}")[0] == 404
    moved = c.expect(200, "GET", f"/v1/nodes/{box}/entries/{name_tag(a.keys[box], 'draft.txt')}")
    assert moved["node"]["node_id"] == f and moved["node"]["nlink"] == 2, moved
    again = c.expect(200, "POST", "/v1/batch", {"ops": [link]})["results"]
    assert again[0]["status"] == 409 and again[0]["body"]["existing"]["node"]["node_id"] == f, again
    assert again[0]["body"]["error"] == "already_exists", again
    print("batch: link 201, move 200, missing source 404, folder link 400, bad mode 400, taken name 409")


def check_attributes(a):
    c = a.client
    f = a.create(a.root_id, "attrs")["node"]["node_id"]
    record = any_b64(100)
    node = c.expect(200, "PUT", f"/v1/nodes/{f}/attributes", {"attributes": record, "revision": 2, "base_revision": 1})
    assert node["attributes"] == record and node["attributes_revision"] == 2
    status, answer = c.put(f"/v1/nodes/{f}/attributes", {"attributes": any_b64(), "revision": 3, "base_revision": 1})
    assert status == 409 and answer["current"]["attributes_revision"] == 2, answer
    print("attribute records: revision checked, 409 with the current node")


def check_cross_owner(s):
    """Entries never join trees of different owners, even with a write grant."""
    s.grant(s.folder, "bob", "write")
    b = s.bob
    status, answer = b.client.post(f"/v1/nodes/{s.bob_file}/links",
                                   {"parent_id": s.folder, "name": any_b64(), "name_tag": os.urandom(32).hex(),
                                    "wrapped_key": any_b64()})
    assert status == 409 and answer["error"] == "different_owners", (status, answer)
    created = b.client.expect(201, "POST", "/v1/nodes", dict(b.create_request(b.root_id, "x"), parent_id=s.folder))
    assert created["node"]["owner"] == "alice", "a node created in alice's folder belongs to alice"
    print("grant holders write into the owner's tree; no cross-owner links")


def main():
    with CofferServer() as server:
        s = Scenario(server)
        a = s.alice
        check_create_and_list(a)
        check_links_and_trash(a)
        check_special_files(a)
        check_moves(a)
        check_batch_moves_and_links(a)
        check_attributes(a)
        check_cross_owner(s)
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
