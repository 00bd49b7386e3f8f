"""Sharing on a real cofferd, over HTTP as docs/api.md describes it, with an owner (alice), a
grantee (bob) and an outsider (carol): the grantee reads the shared subtree (entries, nodes,
versions, blobs) and never its parent or a sibling; a read grantee gets 403 on every change of
every node of the share and nothing changes; a write grantee creates, commits, moves inside and
removes, and the owner holds what was committed; only owner and managers share, and every
refusal of the contract is its status; the outsider gets 403 or 404 on every route for every id
of the share; revocation and leaving take effect on the next request; the feed carries
`shared` and `unshared` to the grantee only, and each side's changes to the other."""

import os
import sys

from coffer_harness import CofferServer, b64, new_node_id
from server_scenario import any_b64, fernet_like


def sealed():
    """A sealed grant as the server sees one: opaque bytes (32 to 2048)."""
    return b64(os.urandom(120))


def share(client, node_id, grantee, role, status):
    body = {"node_id": node_id, "grantee": grantee, "role": role, "sealed_key": sealed()}
    return client.expect(status, "POST", "/v1/shares", body)


def feed(account, cursor=0):
    return account.client.expect(200, "GET", f"/v1/changes?cursor={cursor}")["changes"]


def kinds_of(account, node_id, cursor=0):
    """The `shared` and `unshared` changes of the node in the account's feed."""
    return [c["kind"] for c in feed(account, cursor) if c["node_id"] == node_id and c["kind"] in ("shared", "unshared")]


class World:
    """alice: /docs (shared) holding report.txt (one version) and sub/deep.txt; /private beside it
    holding secret.txt. bob and carol have their own roots."""

    def __init__(self, server):
        for name in ("alice", "bob", "carol", "dave"):
            server.add_user(name, name + " password")
        self.server = server
        self.alice = server.account("alice", "alice password")
        self.bob = server.account("bob", "bob password")
        self.carol = server.account("carol", "carol password")
        a = self.alice
        self.docs = a.create(a.root_id, "docs", "folder")["node"]["node_id"]
        self.report = a.create(self.docs, "report.txt")["node"]["node_id"]
        self.sub = a.create(self.docs, "sub", "folder")["node"]["node_id"]
        self.deep = a.create(self.sub, "deep.txt")["node"]["node_id"]
        self.private = a.create(a.root_id, "private", "folder")["node"]["node_id"]
        self.secret = a.create(self.private, "secret.txt")["node"]["node_id"]
        self.link = a.create(self.docs, "link", "symlink")["node"]["node_id"]
        self.data = {}
        for node in (self.report, self.deep, self.secret):
            data = os.urandom(3000)
            blob = a.upload(data)
            assert a.commit(node, [blob])[0] == 201
            self.data[node] = (blob, data)
        self.shared_nodes = [self.docs, self.report, self.sub, self.deep, self.link]

    def tag(self, parent, name):
        from coffer_harness import name_tag
        return name_tag(self.alice.keys[parent], name)

    def view(self):
        """What alice can observe of the share and beside it, to compare before and after."""
        c = self.alice.client
        out = []
        for node in self.shared_nodes + [self.private, self.secret]:
            out.append(c.get(f"/v1/nodes/{node}"))
        for folder in (self.alice.root_id, self.docs, self.sub, self.private):
            out.append(c.get(f"/v1/nodes/{folder}/entries"))
        for node in (self.report, self.deep):
            out.append(c.get(f"/v1/nodes/{node}/versions"))
        return out


def check_grant_and_read(w):
    a, b = w.alice, w.bob
    created = share(a.client, w.docs, "bob", "read", 201)
    assert created["owner"] == "alice" and created["grantee"] == "bob" and created["granted_by"] == "alice", created
    assert created["role"] == "read" and created["node"]["node_id"] == w.docs, created
    assert [e["node"]["node_id"] for e in created["path"]] == [w.docs], created["path"]
    assert created["path"][0]["parent_id"] == a.root_id, created["path"]
    again = share(a.client, w.docs, "bob", "read", 200)
    assert again["created_at"] == created["created_at"] and again["sealed_key"] != created["sealed_key"]
    assert kinds_of(b, w.docs) == ["shared", "shared"], feed(b)
    assert "shared" not in [c["kind"] for c in feed(a)] and not kinds_of(w.carol, w.docs)
    c = b.client
    for node in w.shared_nodes:
        assert c.get(f"/v1/nodes/{node}")[0] == 200, node
    for folder in (w.docs, w.sub):
        listing = c.expect(200, "GET", f"/v1/nodes/{folder}/entries")
        assert listing["entries"], folder
    for node in (w.report, w.deep):
        blob, data = w.data[node]
        assert c.expect(200, "GET", f"/v1/nodes/{node}/versions")["versions"]
        assert c.expect(200, "GET", f"/v1/nodes/{node}/versions/current")["chunks"] == [blob]
        assert c.get(f"/v1/blobs/{blob}", raw=True) == (200, data)
        assert c.head(f"/v1/blobs/{blob}")[0] == 200
    blob, _ = w.data[w.secret]
    for method, path in [("GET", f"/v1/nodes/{a.root_id}"), ("GET", f"/v1/nodes/{a.root_id}/entries"),
                         ("GET", f"/v1/nodes/{w.private}"), ("GET", f"/v1/nodes/{w.private}/entries"),
                         ("GET", f"/v1/nodes/{w.secret}"), ("GET", f"/v1/nodes/{w.secret}/versions"),
                         ("GET", f"/v1/blobs/{blob}"), ("HEAD", f"/v1/blobs/{blob}"),
                         ("GET", f"/v1/nodes/{a.root_id}/entries/{w.tag(a.root_id, 'docs')}")]:
        assert c.request(method, path)[0] == 404, (method, path)
    lists = c.expect(200, "GET", "/v1/shares")
    assert lists["outgoing"] == [] and [s["node_id"] for s in lists["incoming"]] == [w.docs], lists
    assert lists["incoming"][0]["path"] == [] and lists["incoming"][0]["sealed_key"] == again["sealed_key"]
    owner_lists = a.client.expect(200, "GET", "/v1/shares")
    assert [s["grantee"] for s in owner_lists["outgoing"]] == ["bob"] and owner_lists["incoming"] == []
    print("read grant: the subtree reads, the parent and siblings are 404; both lists show it")


def change_requests(w):
    """(method, path, body) for every change route on every node of the share."""
    a = w.alice
    report_tag, sub_tag, deep_tag = w.tag(w.docs, "report.txt"), w.tag(w.docs, "sub"), w.tag(w.sub, "deep.txt")
    requests = []
    for folder in (w.docs, w.sub):
        requests.append(("POST", "/v1/nodes", {"node_id": new_node_id(), "type": "file", "parent_id": folder,
                                               "name": fernet_like(), "name_tag": os.urandom(32).hex(),
                                               "wrapped_key": any_b64(), "attributes": any_b64(),
                                               "attributes_revision": 1}))
    for node in w.shared_nodes:
        requests.append(("PUT", f"/v1/nodes/{node}/attributes",
                         {"attributes": any_b64(), "revision": 2, "base_revision": 1}))
    for node in (w.report, w.deep):
        blob, _ = w.data[node]
        requests.append(("POST", f"/v1/nodes/{node}/versions",
                         {"base_version": 1, "version": 2, "manifest": any_b64(), "chunks": [blob]}))
        requests.append(("POST", f"/v1/nodes/{node}/links", {"parent_id": w.docs, "name": fernet_like(),
                                                             "name_tag": os.urandom(32).hex(),
                                                             "wrapped_key": any_b64()}))
    move = {"new_parent_id": w.sub, "name": fernet_like(), "name_tag": os.urandom(32).hex(),
            "wrapped_key": any_b64(), "mode": "noreplace"}
    requests += [
        ("POST", f"/v1/nodes/{w.docs}/entries/{report_tag}/move", move),
        ("POST", f"/v1/nodes/{w.sub}/entries/{deep_tag}/move", dict(move, new_parent_id=w.docs)),
        ("DELETE", f"/v1/nodes/{w.docs}/entries/{report_tag}", None),
        ("DELETE", f"/v1/nodes/{w.sub}/entries/{deep_tag}", None),
        ("DELETE", f"/v1/nodes/{w.docs}/entries/{sub_tag}", None),
    ]
    return requests


def check_read_only(w):
    before = w.view()
    for method, path, body in change_requests(w):
        status, answer = w.bob.client.request(method, path, body)
        assert status == 403, f"read grantee {method} {path}: {status} {answer}"
    batch = {"ops": [{"op": "set_attributes", "node_id": w.report, "attributes": any_b64(), "revision": 2,
                      "base_revision": 1},
                     {"op": "commit", "node_id": w.deep, "base_version": 1, "version": 2, "manifest": any_b64(),
                      "chunks": [], "blobs": []}]}
    results = w.bob.client.expect(200, "POST", "/v1/batch", batch)["results"]
    assert [r["status"] for r in results] == [403, 403], results
    for node in w.shared_nodes:
        status, answer = w.bob.client.request("POST", "/v1/shares", {"node_id": node, "grantee": "carol",
                                                                     "role": "read", "sealed_key": sealed()})
        assert status == 403, f"a read grantee shares {node}: {status} {answer}"
    assert w.view() == before, "the read grantee's attempts changed the owner's data"
    print("read grant: every change of every node of the share is 403 and changes nothing")


def check_write_grantee(w):
    a, b = w.alice, w.bob
    share(a.client, w.docs, "bob", "write", 200)
    b.keys[w.docs] = a.keys[w.docs]  # what bob would open from the sealed grant
    b.keys[w.sub] = a.keys[w.sub]
    cursor = a.client.expect(200, "GET", "/v1/changes?cursor=latest")["cursor"]
    used_before = a.client.expect(200, "GET", "/v1/usage")["used"]
    made = b.create(w.docs, "from-bob.txt")
    node = made["node"]["node_id"]
    assert made["node"]["owner"] == "alice", made
    data = os.urandom(5000)
    blob = b.upload(data)
    assert b.commit(node, [blob])[0] == 201
    assert a.client.get(f"/v1/blobs/{blob}", raw=True) == (200, data)
    assert a.client.expect(200, "GET", "/v1/usage")["used"] >= used_before + len(data), "the owner holds the commit"
    tag = w.tag(w.docs, "from-bob.txt")
    moved_tag = w.tag(w.sub, "moved.txt")
    move = {"new_parent_id": w.sub, "name": fernet_like(), "name_tag": moved_tag, "wrapped_key": any_b64(),
            "mode": "noreplace"}
    b.client.expect(200, "POST", f"/v1/nodes/{w.docs}/entries/{tag}/move", move)
    assert a.client.expect(200, "GET", f"/v1/nodes/{w.sub}/entries/{moved_tag}")["node"]["node_id"] == node
    outside = {"new_parent_id": w.private, "name": fernet_like(), "name_tag": os.urandom(32).hex(),
               "wrapped_key": any_b64(), "mode": "noreplace"}
    assert b.client.request("POST", f"/v1/nodes/{w.sub}/entries/{moved_tag}/move", outside)[0] == 404
    b.client.expect(204, "DELETE", f"/v1/nodes/{w.sub}/entries/{moved_tag}")
    kinds = [c["kind"] for c in feed(a, cursor) if c["node_id"] == node]
    assert kinds == ["created", "version", "entry_removed", "moved", "entry_removed", "trashed"], kinds
    bob_cursor = b.client.expect(200, "GET", "/v1/changes?cursor=latest")["cursor"]
    mine = a.create(w.sub, "from-alice.txt")["node"]["node_id"]
    assert [c["kind"] for c in feed(b, bob_cursor) if c["node_id"] == mine] == ["created"]
    assert not [c for c in feed(w.carol) if c["node_id"] in (mine, node)]
    print("write grant: create, commit, move inside and remove; the owner holds the commit; both feeds carry it")


def check_manage(w):
    a, b = w.alice, w.bob
    for node in w.shared_nodes:
        assert b.client.request("POST", "/v1/shares", {"node_id": node, "grantee": "carol", "role": "read",
                                                       "sealed_key": sealed()})[0] == 403, "write cannot share"
    share(a.client, w.docs, "bob", "manage", 200)
    given = share(b.client, w.sub, "carol", "manage", 201)
    assert given["granted_by"] == "bob" and given["owner"] == "alice", given
    assert [e["node"]["node_id"] for e in given["path"]] == [w.sub] and given["path"][0]["parent_id"] == w.docs
    assert w.carol.client.get(f"/v1/nodes/{w.sub}")[0] == 200
    assert w.carol.client.get(f"/v1/nodes/{w.docs}")[0] == 404, "a grant below does not reach up"
    outgoing = b.client.expect(200, "GET", "/v1/shares")["outgoing"]
    assert [(s["node_id"], s["grantee"]) for s in outgoing] == [(w.sub, "carol")], outgoing
    owner_view = a.client.expect(200, "GET", "/v1/shares")["outgoing"]
    assert {(s["node_id"], s["grantee"]) for s in owner_view} == {(w.docs, "bob"), (w.sub, "carol")}
    for s in owner_view:
        assert s["path"][0]["parent_id"] == a.root_id, s["path"]
    b.client.expect(204, "DELETE", f"/v1/shares/{w.sub}/carol")
    assert w.carol.client.get(f"/v1/nodes/{w.sub}")[0] == 404
    assert kinds_of(w.carol, w.sub) == ["shared", "unshared"]
    print("manage: a manager shares below and revokes; write cannot share")


def check_refusals(w, server):
    a, b = w.alice, w.bob
    trashed = a.create(w.docs, "gone.txt")["node"]["node_id"]
    a.client.expect(204, "DELETE", f"/v1/nodes/{w.docs}/entries/{w.tag(w.docs, 'gone.txt')}")
    server.add_user("eve", "eve password")
    server.admin("user", "disable", "eve")
    server.admin("user", "invite", "frank")
    cases = [
        (a, {"node_id": a.root_id, "grantee": "bob", "role": "read"}, 400, "root folder"),
        (a, {"node_id": w.link, "grantee": "bob", "role": "read"}, 400, "a symlink"),
        (a, {"node_id": w.docs, "grantee": "alice", "role": "read"}, 400, "with oneself"),
        (b, {"node_id": w.sub, "grantee": "alice", "role": "read"}, 400, "with the owner"),
        (b, {"node_id": w.sub, "grantee": "bob", "role": "read"}, 400, "a manager with themself"),
        (a, {"node_id": w.docs, "grantee": "nobody", "role": "read"}, 404, "an unknown user"),
        (a, {"node_id": w.docs, "grantee": "eve", "role": "read"}, 404, "a disabled user"),
        (a, {"node_id": w.docs, "grantee": "frank", "role": "read"}, 404, "a pending user"),
        (a, {"node_id": trashed, "grantee": "bob", "role": "read"}, 404, "a node in the trash"),
        (a, {"node_id": new_node_id(), "grantee": "bob", "role": "read"}, 404, "a missing node"),
        (a, {"node_id": w.docs, "grantee": "bob", "role": "owner"}, 400, "an unknown role"),
        (a, {"node_id": w.docs.upper(), "grantee": "bob", "role": "read"}, 400, "an upper-case id"),
        (a, {"node_id": w.docs, "grantee": "Bob!", "role": "read"}, 400, "a bad user name"),
    ]
    for account, body, status, what in cases:
        got, answer = account.client.request("POST", "/v1/shares", dict(body, sealed_key=sealed()))
        assert got == status, f"sharing {what}: {got} {answer}"
        assert answer["error"] == {400: "bad_request", 404: "not_found"}[status], answer
    bad_bodies = [{"node_id": w.docs, "grantee": "bob", "role": "read", "sealed_key": b64(b"short")},
                  {"node_id": w.docs, "grantee": "bob", "role": "read", "sealed_key": b64(os.urandom(2049))},
                  {"node_id": w.docs, "grantee": "bob", "role": "read", "sealed_key": sealed(), "extra": 1},
                  {"node_id": w.docs, "grantee": "bob", "role": "read"}]
    for body in bad_bodies:
        assert a.client.request("POST", "/v1/shares", body)[0] == 400, body
    for path, status in [(f"/v1/shares/{w.docs}/nobody", 404), (f"/v1/shares/{w.docs}/carol", 404),
                         (f"/v1/shares/{w.docs[:-1]}/bob", 400), (f"/v1/shares/{w.docs}/B!", 400)]:
        assert a.client.request("DELETE", path)[0] == status, path
    print("refusals: root, symlink, self, owner, unknown/disabled/pending user, trash, bad bodies")


def every_route(w, node, blob):
    """(method, path, body) naming the share's ids on every route, for the outsider."""
    c = w.carol
    entry = {"parent_id": c.root_id, "name": fernet_like(), "name_tag": os.urandom(32).hex(), "wrapped_key": any_b64()}
    tag = os.urandom(32).hex()
    return [("GET", f"/v1/nodes/{node}", None), ("GET", f"/v1/nodes/{node}/entries", None),
            ("GET", f"/v1/nodes/{node}/entries?at=1", None), ("GET", f"/v1/nodes/{node}/entries/{tag}", None),
            ("PUT", f"/v1/nodes/{node}/attributes", {"attributes": any_b64(), "revision": 2, "base_revision": 1}),
            ("POST", f"/v1/nodes/{node}/links", entry), ("DELETE", f"/v1/nodes/{node}/entries/{tag}", None),
            ("POST", f"/v1/nodes/{node}/entries/{tag}/move",
             {"new_parent_id": node, "name": fernet_like(), "name_tag": tag, "wrapped_key": any_b64(),
              "mode": "noreplace"}),
            ("POST", "/v1/nodes", dict(entry, parent_id=node, node_id=new_node_id(), type="file",
                                       attributes=any_b64(), attributes_revision=1)),
            ("GET", f"/v1/nodes/{node}/versions", None), ("GET", f"/v1/nodes/{node}/versions/current", None),
            ("GET", f"/v1/nodes/{node}/versions/1", None),
            ("POST", f"/v1/nodes/{node}/versions", {"base_version": 1, "version": 2, "manifest": any_b64(),
                                                    "chunks": []}),
            ("GET", f"/v1/blobs/{blob}", None), ("HEAD", f"/v1/blobs/{blob}", None),
            ("POST", "/v1/shares", {"node_id": node, "grantee": "carol", "role": "read", "sealed_key": sealed()}),
            ("POST", "/v1/shares", {"node_id": node, "grantee": "dave", "role": "manage", "sealed_key": sealed()}),
            ("DELETE", f"/v1/shares/{node}/bob", None), ("DELETE", f"/v1/shares/{node}/alice", None),
            ("DELETE", f"/v1/trash/{node}", None)]


def check_outsider(w):
    before = w.view()
    for node in w.shared_nodes:
        blob = w.data.get(node, w.data[w.report])[0]
        for method, path, body in every_route(w, node, blob):
            status, answer = w.carol.client.request(method, path, body)
            assert status in (403, 404), f"outsider {method} {path}: {status} {answer}"
    lists = w.carol.client.expect(200, "GET", "/v1/shares")
    assert lists == {"outgoing": [], "incoming": []}, lists
    assert not {c["node_id"] for c in feed(w.carol)} & set(w.shared_nodes + [w.private, w.secret])
    assert w.view() == before, "the outsider's attempts changed the owner's data"
    print("outsider: 403 or 404 on every route for every id of the share; nothing changed")


def check_revocation(w):
    a, b = w.alice, w.bob
    cursor = b.client.expect(200, "GET", "/v1/changes?cursor=latest")["cursor"]
    owner_cursor = a.client.expect(200, "GET", "/v1/changes?cursor=latest")["cursor"]
    assert b.client.get(f"/v1/nodes/{w.report}")[0] == 200
    a.client.expect(204, "DELETE", f"/v1/shares/{w.docs}/bob")
    for node in w.shared_nodes:
        assert b.client.get(f"/v1/nodes/{node}")[0] == 404, node
    assert b.client.get(f"/v1/blobs/{w.data[w.report][0]}")[0] == 404
    assert [c["kind"] for c in feed(b, cursor)] == ["unshared"]
    assert not [c for c in feed(a, owner_cursor) if c["kind"] in ("shared", "unshared")]
    assert b.client.expect(200, "GET", "/v1/shares")["incoming"] == []
    assert a.client.request("DELETE", f"/v1/shares/{w.docs}/bob")[0] == 404, "revoked twice"
    share(a.client, w.docs, "bob", "write", 201)
    assert b.client.get(f"/v1/nodes/{w.report}")[0] == 200
    b.client.expect(204, "DELETE", f"/v1/shares/{w.docs}/bob")  # leaving
    assert b.client.get(f"/v1/nodes/{w.report}")[0] == 404
    assert kinds_of(b, w.docs, cursor) == ["unshared", "shared", "unshared"]
    events = [e for e in w.server.admin("audit", "--json").stdout.split("\n") if "share_" in e]
    assert events, "grants and revocations are audited"
    print("revocation and leaving: access ends with the next request; unshared reaches the grantee only")


def main():
    with CofferServer() as server:
        w = World(server)
        check_grant_and_read(w)
        check_read_only(w)
        check_outsider(w)
        check_write_grantee(w)
        check_manage(w)
        check_refusals(w, server)
        check_revocation(w)
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
