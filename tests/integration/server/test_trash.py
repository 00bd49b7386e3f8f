"""The trash on a real cofferd: a tree removed as rm -rf does (children, then the folder) is
listed with the entries that last held its nodes and stays readable by its owner; it comes back
in one batch (the folder first, then its children); purging one node and emptying with
older_than remove nodes for good and say so in the change feed (`purged`); an outsider gets 404
on every trash route for the owner's ids; versions name their device and GET /v1/usage splits
the bytes into current, old versions and trash; a folder is listed as it was at a past time
(?at=), in the trash too, until it is purged; after emptying and `coffer-admin gc --grace 0s`
the blob files are gone and the usage is what it was before the upload; fsck stays clean."""

import os
import sqlite3
import sys
import time

from coffer_harness import CofferServer, blob_id, name_tag
from server_scenario import any_b64, fernet_like

CHUNK = 64 << 10


def usage(account):
    return account.client.expect(200, "GET", "/v1/usage")


def remove(account, parent, name):
    tag = name_tag(account.keys[parent], name)
    account.client.expect(204, "DELETE", f"/v1/nodes/{parent}/entries/{tag}")


def trash_items(account, limit=2):
    """Every page of GET /v1/trash, checking the paging."""
    items, after = [], None
    while True:
        query = f"?limit={limit}" + (f"&after={after}" if after else "")
        page = account.client.expect(200, "GET", "/v1/trash" + query)
        assert len(page["items"]) <= limit, page
        items += page["items"]
        if page["next"] is None:
            break
        assert page["next"] == page["items"][-1]["node"]["node_id"], page
        after = page["next"]
    ids = [item["node"]["node_id"] for item in items]
    assert ids == sorted(ids) and len(set(ids)) == len(ids), ids
    return {item["node"]["node_id"]: item for item in items}


def feed(account, cursor):
    page = account.client.expect(200, "GET", f"/v1/changes?cursor={cursor}")
    return page["changes"]


def blob_file(server, ident):
    return os.path.join(server.data_dir, "blobs", ident[:2], ident)


def set_trashed_at(server, node_ids, at):
    with sqlite3.connect(os.path.join(server.data_dir, "coffer.db"), timeout=10) as db:
        for node in node_ids:
            db.execute("UPDATE trash SET trashed_at = ? WHERE node_id = ?", (at, node))
            db.execute("UPDATE nodes SET trashed_at = ? WHERE id = ?", (at, node))


def shift_history(server, tree, seconds):
    """Moves the tree's entries and versions `seconds` into the past, so that times before the
    rm -rf below (which the server stamps with its clock) can be asked for."""
    with sqlite3.connect(os.path.join(server.data_dir, "coffer.db"), timeout=10) as db:
        for node in tree.placement:
            db.execute("UPDATE entry_history SET added_at = added_at - ? WHERE node_id = ?", (seconds, node))
        db.execute("UPDATE versions SET created_at = created_at - ? WHERE node_id = ? AND version = 1", (seconds, tree.a))
        db.execute("UPDATE versions SET created_at = created_at - ? WHERE node_id = ? AND version = 2",
                   (seconds // 2, tree.a))


def listed_at(account, folder, at):
    page = account.client.expect(200, "GET", f"/v1/nodes/{folder}/entries?at={at}&limit=2")
    assert page["folder"] is None, page
    entries = page["entries"]
    while page["next"] is not None:
        page = account.client.expect(200, "GET", f"/v1/nodes/{folder}/entries?at={at}&limit=2&after={page['next']}")
        entries += page["entries"]
    return {e["node"]["node_id"]: e for e in entries}


def check_past(a, tree, shifted_at):
    """Before the rm -rf: the tree as it was, version 1 of a.txt before its second commit."""
    early, late = shifted_at - 75, shifted_at - 10
    assert set(listed_at(a, a.root_id, early)) == {tree.proj}
    inside = listed_at(a, tree.proj, early)  # proj is in the trash now: still listed, by its owner
    assert set(inside) == {tree.a, tree.sub, tree.link}, inside
    assert inside[tree.a]["node"]["version"] == 1 and inside[tree.a]["node"]["size"] == len(tree.a1), inside[tree.a]
    assert inside[tree.a]["name_tag"] == name_tag(a.keys[tree.proj], "a.txt")
    assert listed_at(a, tree.proj, late)[tree.a]["node"]["version"] == 2
    assert listed_at(a, tree.proj, shifted_at + 3600) == {}  # after the rm -rf
    assert listed_at(a, tree.proj, early - 100) == {}  # before the tree was made
    for bad in ("yesterday", "-5"):
        status, answer = a.client.get(f"/v1/nodes/{tree.proj}/entries?at={bad}")
        assert status == 400 and answer["message"], (bad, status, answer)
    print("?at=: the folder as it was (in the trash too), with the version of then; folder null")


def assert_clean(server):
    result = server.admin("fsck", check=False)
    assert result.returncode == 0 and "no problem" in result.stdout, result.stdout


class Tree:
    """root/proj/{a.txt (two versions), sub/b.txt, link (a symlink)}."""

    def __init__(self, a):
        self.proj = a.create(a.root_id, "proj", "folder")["node"]["node_id"]
        self.a = a.create(self.proj, "a.txt")["node"]["node_id"]
        self.sub = a.create(self.proj, "sub", "folder")["node"]["node_id"]
        self.b = a.create(self.sub, "b.txt")["node"]["node_id"]
        self.link = a.create(self.proj, "link", "symlink")["node"]["node_id"]
        self.a1, self.a2, self.b1 = os.urandom(CHUNK), os.urandom(2 * CHUNK), os.urandom(3 * CHUNK)
        assert a.commit(self.a, [a.upload(self.a1)])[0] == 201
        assert a.commit(self.a, [a.upload(self.a2)], base_version=1)[0] == 201
        assert a.commit(self.b, [a.upload(self.b1)])[0] == 201
        self.placement = {self.proj: (a.root_id, "proj"), self.a: (self.proj, "a.txt"), self.sub: (self.proj, "sub"),
                          self.b: (self.sub, "b.txt"), self.link: (self.proj, "link")}

    def blobs(self):
        return [blob_id(self.a1), blob_id(self.a2), blob_id(self.b1)]

    def rm_rf(self, a):
        remove(a, self.sub, "b.txt")
        remove(a, self.proj, "sub")
        remove(a, self.proj, "a.txt")
        remove(a, self.proj, "link")
        remove(a, a.root_id, "proj")


def check_versions_and_usage(a, tree):
    versions = a.client.expect(200, "GET", f"/v1/nodes/{tree.a}/versions")["versions"]
    assert [v["version"] for v in versions] == [1, 2] and all(v["device"] == "harness" for v in versions), versions
    split = usage(a)
    assert split["current"] == len(tree.a2) + len(tree.b1), split
    assert split["versions"] == len(tree.a1) and split["trash"] == 0, split
    assert split["other"] == split["used"] - split["current"] - split["versions"], split
    print("versions name their device; usage split into current / old versions / trash")


def check_listed(a, tree, items):
    assert set(items) == set(tree.placement), items
    for node, (parent, name) in tree.placement.items():
        item = items[node]
        assert item["parent_id"] == parent and item["name_tag"] == name_tag(a.keys[parent], name), item
        assert item["parent_in_trash"] == (node != tree.proj), item
        assert item["trashed_at"] > 0 and item["node"]["nlink"] == 0, item
    assert items[tree.link]["node"]["type"] == "symlink" and items[tree.a]["node"]["version"] == 2
    split = usage(a)
    assert split["trash"] == len(tree.a1) + len(tree.a2) + len(tree.b1), split
    assert split["current"] == 0 and split["versions"] == 0, split
    print("rm -rf: every node listed in pages with its last entry; usage counts it as trash")


def check_readable(a, tree):
    c = a.client
    assert c.expect(200, "GET", f"/v1/nodes/{tree.a}")["version"] == 2
    assert len(c.expect(200, "GET", f"/v1/nodes/{tree.a}/versions")["versions"]) == 2
    old = c.expect(200, "GET", f"/v1/nodes/{tree.a}/versions/1")
    assert old["chunks"] == [blob_id(tree.a1)], old
    assert c.get("/v1/blobs/" + blob_id(tree.a1), raw=True) == (200, tree.a1)
    print("the owner reads nodes, versions and chunks in the trash")


def check_outsider(server, a, tree):
    server.add_user("eve", "eve password")
    eve = server.account("eve", "eve password")
    c = eve.client
    assert c.expect(200, "GET", "/v1/trash")["items"] == []
    for node in tree.placement:
        assert c.delete(f"/v1/trash/{node}")[0] == 404
        assert c.get(f"/v1/nodes/{node}")[0] == 404
        assert c.get(f"/v1/nodes/{node}/versions")[0] == 404
        link = {"parent_id": eve.root_id, "name": fernet_like(), "name_tag": "0" * 64, "wrapped_key": any_b64()}
        assert c.post(f"/v1/nodes/{node}/links", link)[0] == 404
    assert c.get("/v1/blobs/" + blob_id(tree.a1))[0] == 404
    assert c.expect(200, "POST", "/v1/trash/empty", {"older_than": None}) == {"purged": 0}
    assert set(trash_items(a)) == set(tree.placement), "eve's empty left alice's trash alone"
    print("an outsider gets 404 on every trash route and node of another's trash")


def check_restore(a, tree, items):
    """One batch: the folder first, then its children, as their old entries."""
    order = [tree.proj, tree.a, tree.sub, tree.link, tree.b]
    ops = [{"op": "link", "node_id": node, "parent_id": items[node]["parent_id"], "name": items[node]["name"],
            "name_tag": items[node]["name_tag"], "wrapped_key": items[node]["wrapped_key"]} for node in order]
    revision = items[tree.proj]["node"]["folder_revision"]
    results = a.client.expect(200, "POST", "/v1/batch", {"ops": ops})["results"]
    assert [r["status"] for r in results] == [201] * len(ops), results
    assert a.client.expect(200, "GET", "/v1/trash")["items"] == []
    assert a.client.expect(200, "GET", f"/v1/nodes/{tree.proj}")["folder_revision"] == revision + 1
    listed = a.client.expect(200, "GET", f"/v1/nodes/{tree.proj}/entries")["entries"]
    assert {e["node"]["node_id"] for e in listed} == {tree.a, tree.sub, tree.link}, listed
    assert a.client.expect(200, "GET", f"/v1/nodes/{tree.sub}/entries")["entries"][0]["node"]["node_id"] == tree.b
    again = a.client.post(f"/v1/nodes/{tree.proj}/links", dict(ops[0], parent_id=a.root_id))
    assert again[0] == 400, again  # a live folder still has exactly one entry
    split = usage(a)
    assert split["trash"] == 0 and split["current"] == len(tree.a2) + len(tree.b1), split
    print("restored in one batch: folder, then children; a live folder still refuses a link")


def check_purge_and_empty(server, a, tree, cursor):
    c = a.client
    remove(a, tree.proj, "a.txt")
    c.expect(204, "DELETE", f"/v1/trash/{tree.a}")
    assert c.get(f"/v1/nodes/{tree.a}")[0] == 404
    assert c.delete(f"/v1/trash/{tree.a}")[0] == 404
    assert c.delete(f"/v1/trash/{tree.proj}")[0] == 404  # live: not in the trash
    remove(a, tree.sub, "b.txt")
    remove(a, tree.proj, "sub")
    remove(a, tree.proj, "link")
    remove(a, a.root_id, "proj")
    # sub was trashed long ago, b.txt (in it) just now: emptying what is older than a minute
    # takes sub with b.txt below it, and leaves proj.
    now = int(time.time())
    set_trashed_at(server, [tree.sub], now - 3600)
    assert c.expect(200, "POST", "/v1/trash/empty", {"older_than": now - 60}) == {"purged": 2}
    assert set(trash_items(a)) == {tree.link, tree.proj}
    assert c.expect(200, "POST", "/v1/trash/empty", {"older_than": None}) == {"purged": 2}
    assert trash_items(a) == {}
    purged = {ch["node_id"] for ch in feed(a, cursor) if ch["kind"] == "purged" and ch["parent_id"] is None}
    assert purged == set(tree.placement), purged
    assert listed_at(a, a.root_id, int(time.time()) - 75) == {}, "a purged node's history goes with it"
    assert_clean(server)
    print("purge one (404 after, and for live nodes), empty with older_than and all; `purged` in the feed")


def check_bad_input(a):
    c = a.client
    for path in ("/v1/trash?after=xyz", "/v1/trash?limit=99999", "/v1/trash?limit=-1"):
        status, answer = c.get(path)
        assert status == 400 and answer["message"], (path, status, answer)
    assert c.delete("/v1/trash/not-an-id")[0] == 400
    for body in ({"older_than": "yesterday"}, {"older_than": -5}, {"older": 1}, [1]):
        status, answer = c.post("/v1/trash/empty", body)
        assert status == 400 and answer["message"], (body, status, answer)
    print("malformed trash requests: 400 with a message")


def main():
    with CofferServer() as server:
        server.add_user("alice", "alice password")
        a = server.account("alice", "alice password")
        cursor = a.client.expect(200, "GET", "/v1/changes?cursor=latest")["cursor"]
        before = usage(a)["used"]
        tree = Tree(a)
        check_versions_and_usage(a, tree)
        shifted_at = int(time.time())
        shift_history(server, tree, 100)
        tree.rm_rf(a)
        check_past(a, tree, shifted_at)
        items = trash_items(a)
        check_listed(a, tree, items)
        check_readable(a, tree)
        check_outsider(server, a, tree)
        check_restore(a, tree, items)
        check_purge_and_empty(server, a, tree, cursor)
        check_bad_input(a)

        server.admin("gc", "--grace", "0s")
        for ident in tree.blobs():
            assert not os.path.exists(blob_file(server, ident)), ident
        after = usage(a)
        # The root's folder record is the same size; every row of the tree and every blob is gone.
        assert abs(after["used"] - before) <= 256 and after["trash"] == after["versions"] == 0, (before, after)
        assert_clean(server)
        print(f"after empty + gc: blob files gone, usage {after['used']} bytes (before the upload: {before})")
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
