"""Share links on a real cofferd (docs/api.md, "Links"): create, list, revoke, describe and open;
a link token reads only the linked node and what is below it (nodes, entries, the current
version, blobs; HEAD too), never beside or above it, never writes and never reaches any other
route; expiry and max_downloads end a link with 410 `gone`, counted atomically under parallel
opens; a link stops working when its creator loses the manage role or its node goes to the
trash, and is deleted with the node; others' links are refused; at most 1000 live links per
user (400 `too_many_links`); malformed bodies and ids are 400 with a message, never 500;
unknown links back off per address like logins; the audit log records links created, opened
and revoked. Anonymous calls come from their own loopback address per check, so one check's
backoff never blocks another."""

import concurrent.futures
import os
import sqlite3
import sys
import time

from coffer_harness import Client, CofferServer, b64, encrypt_name, name_tag, new_node_id, wrap_key


def link_id():
    return b64(os.urandom(16))


def link_body(node_id, kind, **extra):
    body = {"link_id": link_id(), "node_id": node_id, "kind": kind, "sealed_key": b64(os.urandom(113)),
            "password": None, "label": b64(os.urandom(80)), "expires_at": None, "max_downloads": None}
    body.update(extra)
    return body


def create(client, node_id, kind, status=201, **extra):
    body = link_body(node_id, kind, **extra)
    answer = client.expect(status, "POST", "/v1/links", body)
    return body, answer


class World:
    """alice: /docs (linked) with report.txt and sub/deep.txt (each one version); /private with
    secret.txt beside it. bob and carol: their own roots; an admin reads the audit log."""

    def __init__(self, server):
        self.server = server
        for name in ("alice", "bob", "carol"):
            server.add_user(name, name + " password")
        server.add_user("root", "root password", admin=True)
        self.alice = server.account("alice", "alice password")
        self.bob = server.account("bob", "bob password")
        self.carol = server.account("carol", "carol password")
        self.admin = server.login("root", "root password")
        a = self.alice
        self.docs = a.create(a.root_id, "docs", "folder")["node"]["node_id"]
        self.report = a.create(self.docs, "report.txt")["node"]["node_id"]
        self.sub = a.create(self.docs, "sub", "folder")["node"]["node_id"]
        self.deep = a.create(self.sub, "deep.txt")["node"]["node_id"]
        self.private = a.create(a.root_id, "private", "folder")["node"]["node_id"]
        self.secret = a.create(self.private, "secret.txt")["node"]["node_id"]
        self.symlink = a.create(self.docs, "link", "symlink")["node"]["node_id"]
        self.data = {}
        for node in (self.report, self.deep, self.secret):
            data = os.urandom(2000)
            blob = a.upload(data)
            assert a.commit(node, [blob])[0] == 201
            self.data[node] = (blob, data)
        self.next_address = 10

    def anonymous(self, token=None):
        """A client from a loopback address of its own (127.0.0.N), with a link token or none."""
        self.next_address += 1
        return Client(self.server.port, token, source=f"127.0.0.{self.next_address}")

    def tag(self, parent, name):
        return name_tag(self.alice.keys[parent], name)

    def database(self):
        return sqlite3.connect(os.path.join(self.server.data_dir, "coffer.db"), timeout=10)


def check_create_list_open_read(w):
    a = w.alice.client
    body, created = create(a, w.docs, "folder")
    assert created["link_id"] == body["link_id"] and abs(created["created_at"] - time.time()) < 60, created
    a.expect(409, "POST", "/v1/links", body)  # the same id again
    listed = a.expect(200, "GET", "/v1/links")["links"]
    mine = [l for l in listed if l["link_id"] == body["link_id"]]
    assert mine == [{"link_id": body["link_id"], "node_id": w.docs, "kind": "folder", "label": body["label"],
                     "created_at": created["created_at"], "expires_at": None, "max_downloads": None, "downloads": 0,
                     "password": False}], listed
    assert w.bob.client.expect(200, "GET", "/v1/links")["links"] == []
    anon = w.anonymous()
    info = anon.expect(200, "GET", f"/v1/links/{body['link_id']}")
    assert info == {"kind": "folder", "password": None, "expires_at": None, "max_downloads": None, "downloads": 0,
                    "owner": "alice"}, info
    opened = anon.expect(200, "POST", f"/v1/links/{body['link_id']}/open")
    assert opened["node_id"] == w.docs and opened["kind"] == "folder" and opened["sealed_key"] == body["sealed_key"]
    assert opened["owner"] == "alice" and opened["token"].startswith("link.")
    assert 0 < opened["token_expires_at"] - time.time() <= 12 * 3600 + 60, opened
    assert anon.expect(200, "GET", f"/v1/links/{body['link_id']}")["downloads"] == 1
    with w.database() as db:
        stored = [row[0] for row in db.execute("SELECT token_hash FROM link_tokens")]
    assert stored and opened["token"] not in stored and all(len(h) == 64 for h in stored), "only hashes are stored"

    token = w.anonymous(opened["token"])
    for node in (w.docs, w.report, w.sub, w.deep, w.symlink):
        assert token.expect(200, "GET", f"/v1/nodes/{node}")["node_id"] == node
    for folder in (w.docs, w.sub):
        assert token.expect(200, "GET", f"/v1/nodes/{folder}/entries")["entries"]
    assert token.expect(200, "GET", f"/v1/nodes/{w.docs}/entries/{w.tag(w.docs, 'report.txt')}")["node"]["node_id"] == w.report
    for node in (w.report, w.deep):
        blob, data = w.data[node]
        assert token.expect(200, "GET", f"/v1/nodes/{node}/versions/current")["chunks"] == [blob]
        assert token.expect(200, "GET", f"/v1/nodes/{node}/versions/1")["chunks"] == [blob]
        assert token.get(f"/v1/blobs/{blob}", raw=True) == (200, data)
        assert token.head(f"/v1/blobs/{blob}")[0] == 200
        status, _ = token.get(f"/v1/blobs/{blob}", headers={"Range": "bytes=0-9"}, raw=True)
        assert status == 206
    # Beside and above the linked folder: not found, as for anyone who may not read it.
    secret_blob, _ = w.data[w.secret]
    root = w.alice.root_id
    for method, path in [("GET", f"/v1/nodes/{root}"), ("GET", f"/v1/nodes/{root}/entries"),
                         ("GET", f"/v1/nodes/{root}/entries/{w.tag(root, 'docs')}"),
                         ("GET", f"/v1/nodes/{w.private}"), ("GET", f"/v1/nodes/{w.private}/entries"),
                         ("GET", f"/v1/nodes/{w.secret}"), ("GET", f"/v1/nodes/{w.secret}/versions/current"),
                         ("GET", f"/v1/blobs/{secret_blob}"), ("HEAD", f"/v1/blobs/{secret_blob}"),
                         ("GET", f"/v1/nodes/{w.bob.root_id}"), ("GET", f"/v1/nodes/{new_node_id()}")]:
        assert token.request(method, path)[0] == 404, (method, path)
    # A second version: the link reads the current one, not the past.
    blob2 = w.alice.upload(b"second version")
    assert w.alice.commit(w.report, [blob2], base_version=1)[0] == 201
    assert token.expect(200, "GET", f"/v1/nodes/{w.report}/versions/current")["chunks"] == [blob2]
    assert token.get(f"/v1/nodes/{w.report}/versions/1")[0] == 404
    # No other route, and no change anywhere.
    nothing = {"folders": []}
    for method, path, body_ in [
            ("GET", f"/v1/nodes/{w.docs}/entries?at={int(time.time())}", None),
            ("GET", f"/v1/nodes/{w.report}/versions", None), ("GET", "/v1/account", None),
            ("GET", "/v1/usage", None), ("GET", "/v1/sessions", None), ("GET", "/v1/links", None),
            ("GET", "/v1/shares", None), ("GET", "/v1/trash", None), ("GET", "/v1/changes", None),
            ("GET", "/v1/admin/users", None), ("DELETE", "/v1/sessions/current", None),
            ("POST", "/v1/nodes", w.alice.create_request(w.docs, "new.txt")),
            ("DELETE", f"/v1/nodes/{w.docs}/entries/{w.tag(w.docs, 'report.txt')}", nothing),
            ("PUT", f"/v1/nodes/{w.report}/attributes", {"attributes": b64(b"x" * 40), "attributes_revision": 2,
                                                          "base_revision": 1}),
            ("POST", f"/v1/nodes/{w.report}/versions", {"base_version": 2, "version": 3, "manifest": b64(b"m" * 80),
                                                        "chunks": []}),
            ("PUT", f"/v1/blobs/{'0' * 64}", b"data"),
            ("POST", "/v1/links", link_body(w.docs, "folder")),
            ("DELETE", f"/v1/links/{body['link_id']}", None),
            ("POST", "/v1/shares", {"node_id": w.docs, "grantee": "bob", "role": "read", "sealed_key": b64(b"k" * 64)})]:
        status, answer = token.request(method, path, body_)
        assert status == 403 and answer["error"] == "forbidden" and answer["message"], (method, path, status, answer)
    token.auto_folders = False
    assert token.request("GET", f"/v1/nodes/{w.report}/versions")[0] == 403
    assert w.anonymous("link." + "0" * 64).get(f"/v1/nodes/{w.docs}")[0] == 401
    assert w.anonymous("link.zz").get(f"/v1/nodes/{w.docs}")[0] == 401
    w.folder_link, w.folder_token = body["link_id"], opened["token"]
    print("folder link: created, listed, described, opened; its token reads the subtree only, current "
          "version only, and no other route")


def check_file_link_and_downloads(w):
    a = w.alice.client
    body, _ = create(a, w.deep, "file", max_downloads=2)
    anon = w.anonymous()
    info = anon.expect(200, "GET", f"/v1/links/{body['link_id']}")
    assert info["kind"] == "file" and info["max_downloads"] == 2 and info["downloads"] == 0
    token = w.anonymous(anon.expect(200, "POST", f"/v1/links/{body['link_id']}/open")["token"])
    blob, data = w.data[w.deep]
    assert token.get(f"/v1/blobs/{blob}", raw=True) == (200, data)
    assert token.expect(200, "GET", f"/v1/nodes/{w.deep}")["node_id"] == w.deep
    # A file link reads that file only, not its folder or siblings.
    for path in (f"/v1/nodes/{w.sub}", f"/v1/nodes/{w.sub}/entries", f"/v1/nodes/{w.report}"):
        assert token.get(path)[0] == 404, path
    anon.expect(200, "POST", f"/v1/links/{body['link_id']}/open")
    gone = anon.expect(410, "POST", f"/v1/links/{body['link_id']}/open")
    assert gone["error"] == "gone" and gone["message"], gone
    assert anon.expect(410, "GET", f"/v1/links/{body['link_id']}")["error"] == "gone"
    listed = [l for l in a.expect(200, "GET", "/v1/links")["links"] if l["link_id"] == body["link_id"]]
    assert listed[0]["downloads"] == 2, listed
    assert token.get(f"/v1/blobs/{blob}", raw=True) == (200, data), "a token handed out keeps reading until it expires"

    # Parallel opens of a link with 5 downloads: exactly 5 succeed.
    body, _ = create(a, w.report, "file", max_downloads=5)
    clients = [w.anonymous() for _ in range(12)]
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda c: c.post(f"/v1/links/{body['link_id']}/open")[0], clients))
    assert sorted(statuses) == [200] * 5 + [410] * 7, statuses
    assert anon.expect(410, "GET", f"/v1/links/{body['link_id']}")["error"] == "gone"
    assert [l["downloads"] for l in a.expect(200, "GET", "/v1/links")["links"] if l["link_id"] == body["link_id"]] == [5]
    print("file link: reads the file only; max_downloads counted atomically (5 of 12 parallel opens), then 410 gone")


def check_expiry(w):
    a = w.alice.client
    soon = int(time.time()) + 3600
    body, _ = create(a, w.docs, "folder", expires_at=soon)
    anon = w.anonymous()
    assert anon.expect(200, "GET", f"/v1/links/{body['link_id']}")["expires_at"] == soon
    opened = anon.expect(200, "POST", f"/v1/links/{body['link_id']}/open")
    assert opened["token_expires_at"] == soon, "a token expires with its link"
    token = w.anonymous(opened["token"])
    assert token.get(f"/v1/nodes/{w.docs}")[0] == 200
    with w.database() as db:
        db.execute("UPDATE links SET expires_at = ? WHERE id = ?", (int(time.time()) - 1, body["link_id"]))
        db.execute("UPDATE link_tokens SET expires_at = ? WHERE link_id = ?", (int(time.time()) - 1, body["link_id"]))
    assert anon.expect(410, "GET", f"/v1/links/{body['link_id']}")["error"] == "gone"
    assert anon.expect(410, "POST", f"/v1/links/{body['link_id']}/open")["error"] == "gone"
    assert token.get(f"/v1/nodes/{w.docs}")[0] == 401, "an expired token reads nothing"
    answer = a.expect(400, "POST", "/v1/links", link_body(w.docs, "folder", expires_at=int(time.time()) - 10))
    assert "expires_at" in answer["message"], answer
    print("expiry: 410 gone for info and open, tokens end with the link; a past expiry is refused")


def check_revoke_and_others(w):
    a, b = w.alice.client, w.bob.client
    body, _ = create(a, w.docs, "folder")
    token = w.anonymous(w.anonymous().expect(200, "POST", f"/v1/links/{body['link_id']}/open")["token"])
    assert token.get(f"/v1/nodes/{w.docs}")[0] == 200
    # Others can neither see, revoke nor make links on alice's nodes.
    assert b.delete(f"/v1/links/{body['link_id']}")[0] == 404
    assert body["link_id"] not in [l["link_id"] for l in b.expect(200, "GET", "/v1/links")["links"]]
    assert b.post("/v1/links", link_body(w.docs, "folder"))[0] == 404
    assert b.post("/v1/links", link_body(w.bob.root_id, "folder"))[0] == 400  # a root folder
    assert w.anonymous().post("/v1/links", link_body(w.docs, "folder"))[0] == 401
    assert w.anonymous().delete(f"/v1/links/{body['link_id']}")[0] == 401
    a.expect(204, "DELETE", f"/v1/links/{body['link_id']}")
    assert a.delete(f"/v1/links/{body['link_id']}")[0] == 404
    assert w.anonymous().get(f"/v1/links/{body['link_id']}")[0] == 404
    assert w.anonymous().post(f"/v1/links/{body['link_id']}/open")[0] == 404
    assert token.get(f"/v1/nodes/{w.docs}")[0] == 401, "a revoked link's tokens end"
    with w.database() as db:
        assert db.execute("SELECT count(*) FROM links WHERE id = ?", (body["link_id"],)).fetchone()[0] == 0
    # A grantee with manage may link; read or write may not; losing manage stops the link.
    share = {"node_id": w.sub, "grantee": "bob", "role": "read", "sealed_key": b64(b"s" * 64)}
    a.expect(201, "POST", "/v1/shares", share)
    assert b.post("/v1/links", link_body(w.sub, "folder"))[0] == 403
    a.expect(200, "POST", "/v1/shares", dict(share, role="manage"))
    body, _ = create(b, w.sub, "folder")
    anon = w.anonymous()
    assert anon.expect(200, "GET", f"/v1/links/{body['link_id']}")["owner"] == "bob"
    token = w.anonymous(anon.expect(200, "POST", f"/v1/links/{body['link_id']}/open")["token"])
    assert token.get(f"/v1/nodes/{w.deep}")[0] == 200
    a.expect(200, "POST", "/v1/shares", dict(share, role="write"))
    assert anon.get(f"/v1/links/{body['link_id']}")[0] == 404
    assert token.get(f"/v1/nodes/{w.deep}")[0] == 404, "the creator lost the manage role"
    a.expect(200, "POST", "/v1/shares", dict(share, role="manage"))
    assert token.get(f"/v1/nodes/{w.deep}")[0] == 200, "and has it back"
    print("revoke: creator only, 404 after, tokens end; others refused; a manager's link stops when they lose manage")


def check_node_removed(w):
    a = w.alice.client
    extra = w.alice.create(w.docs, "extra.txt")["node"]["node_id"]
    body, _ = create(a, extra, "file")
    anon = w.anonymous()
    token = w.anonymous(anon.expect(200, "POST", f"/v1/links/{body['link_id']}/open")["token"])
    assert token.get(f"/v1/nodes/{extra}")[0] == 200
    a.expect(204, "DELETE", f"/v1/nodes/{w.docs}/entries/{w.tag(w.docs, 'extra.txt')}")
    assert anon.get(f"/v1/links/{body['link_id']}")[0] == 404, "a node in the trash is not linked"
    assert token.get(f"/v1/nodes/{extra}")[0] == 404
    a.expect(204, "DELETE", f"/v1/trash/{extra}")
    with w.database() as db:
        assert db.execute("SELECT count(*) FROM links WHERE id = ?", (body["link_id"],)).fetchone()[0] == 0, \
            "purging the node deletes its links"
    # A folder moved out of a linked folder is out of the link's reach.
    moved = w.alice.create(w.docs, "moving", "folder")["node"]["node_id"]
    inner = w.alice.create(moved, "inner.txt")["node"]["node_id"]
    assert w.anonymous(w.folder_token).get(f"/v1/nodes/{inner}")[0] == 200
    a.expect(200, "POST", f"/v1/nodes/{w.docs}/entries/{w.tag(w.docs, 'moving')}/move",
             {"new_parent_id": w.private, "name": encrypt_name(w.alice.keys[w.private], "moving"),
              "name_tag": name_tag(w.alice.keys[w.private], "moving"),
              "wrapped_key": wrap_key(w.alice.keys[w.private], os.urandom(32)), "mode": "noreplace"})
    assert w.anonymous(w.folder_token).get(f"/v1/nodes/{inner}")[0] == 404
    print("removal: a trashed node's link is 404, purged with the node; a moved-out folder is out of reach")


def check_password_and_kinds(w):
    a = w.alice.client
    kdf = a.expect(200, "GET", "/v1/auth/params?user=alice")["kdf"]
    password = {"salt": b64(os.urandom(16)), "kdf": kdf}
    body, _ = create(a, w.report, "file", password=password)
    assert w.anonymous().expect(200, "GET", f"/v1/links/{body['link_id']}")["password"] == password
    assert [l["password"] for l in a.expect(200, "GET", "/v1/links")["links"] if l["link_id"] == body["link_id"]] == [True]
    for node, kind in [(w.report, "folder"), (w.docs, "file"), (w.symlink, "file"), (w.symlink, "folder"),
                       (w.alice.root_id, "folder")]:
        answer = a.expect(400, "POST", "/v1/links", link_body(node, kind))
        assert answer["error"] == "bad_request" and answer["message"], answer
    assert a.post("/v1/links", link_body(new_node_id(), "file"))[0] == 404
    print("password links describe their salt and KDF; kinds checked; roots, symlinks and mismatches refused")


def check_malformed(w):
    a = w.alice.client
    good = link_body(w.report, "file")
    cases = {
        "not json": b"{not json",
        "array": b"[]",
        "missing link_id": {k: v for k, v in good.items() if k != "link_id"},
        "unknown field": dict(good, extra=1),
        "short link_id": dict(good, link_id=b64(os.urandom(15))),
        "long link_id": dict(good, link_id=b64(os.urandom(17))),
        "unpadded link_id": dict(good, link_id=b64(os.urandom(16)).rstrip("=")),
        "link_id not text": dict(good, link_id=5),
        "node_id": dict(good, node_id="XYZ"),
        "kind": dict(good, kind="dir"),
        "sealed_key too long": dict(good, sealed_key=b64(os.urandom(1025))),
        "sealed_key not base64": dict(good, sealed_key="***"),
        "label too long": dict(good, label=b64(os.urandom(4097))),
        "max_downloads 0": dict(good, max_downloads=0),
        "max_downloads negative": dict(good, max_downloads=-1),
        "max_downloads text": dict(good, max_downloads="3"),
        "max_downloads fraction": dict(good, max_downloads=1.5),
        "expires_at negative": dict(good, expires_at=-5),
        "expires_at text": dict(good, expires_at="tomorrow"),
        "password not object": dict(good, password="secret"),
        "password salt": dict(good, password={"salt": b64(b"x" * 15), "kdf": {"algorithm": "scrypt", "n": 32768,
                                                                                "r": 8, "p": 1, "salt": b64(b"y" * 16)}}),
        "password kdf": dict(good, password={"salt": b64(b"x" * 16), "kdf": {"algorithm": "md5"}}),
        "password extra": dict(good, password={"salt": b64(b"x" * 16), "kdf": {}, "pepper": 1}),
    }
    for what, body in cases.items():
        status, answer = a.post("/v1/links", body, headers={"Content-Type": "application/json"})
        assert status == 400 and answer["error"] == "bad_request" and answer["message"], (what, status, answer)
    big = dict(good, label=b64(os.urandom(40000)))
    assert a.post("/v1/links", big)[0] == 413
    for bad in ("short", "AAAA", "A" * 24, "%00", "AAAAAAAAAAAAAAAAAAAAAA%3D%3D%2F"):
        for method, path, client in [("GET", f"/v1/links/{bad}", w.anonymous()),
                                     ("POST", f"/v1/links/{bad}/open", w.anonymous()),
                                     ("DELETE", f"/v1/links/{bad}", a)]:
            status, answer = client.request(method, path)
            assert status in (400, 404) and answer["message"], (method, path, status, answer)
    assert "500" not in [line.split()[-1] for line in w.server.log().splitlines() if line.endswith(" 500")]
    assert "request failed" not in w.server.log()
    print(f"malformed: {len(cases)} bodies and bad ids are 400 with a message; none is a 500")


def check_backoff(w):
    anon = w.anonymous()
    statuses = [anon.get(f"/v1/links/{link_id()}")[0] for _ in range(23)]
    assert statuses == [404] * 21 + [429] * 2, statuses
    status, answer = anon.get(f"/v1/links/{w.folder_link}")
    assert status == 429 and int(anon.last_headers["Retry-After"]) >= 1, (status, answer)
    assert w.anonymous().get(f"/v1/links/{w.folder_link}")[0] == 200, "another address is not blocked"
    print("backoff: unknown links from one address are 429 after 20 failures; other addresses unaffected")


def check_limit(w):
    c = w.carol.client
    folder = w.carol.create(w.carol.root_id, "many", "folder")["node"]["node_id"]
    first = None
    for i in range(1000):
        body, _ = create(c, folder, "folder")
        first = first or body["link_id"]
    answer = c.expect(400, "POST", "/v1/links", link_body(folder, "folder"))
    assert answer["error"] == "too_many_links" and answer["message"], answer
    assert len(c.expect(200, "GET", "/v1/links")["links"]) == 1000
    c.expect(204, "DELETE", f"/v1/links/{first}")
    create(c, folder, "folder")
    print("limit: 1000 live links per user, the 1001st is 400 too_many_links; revoking one makes room")


def check_audit(w):
    events = w.admin.expect(200, "GET", "/v1/admin/audit?since=0&limit=10000")
    events = events.get("events", events.get("records", [])) if isinstance(events, dict) else events
    kinds = {e["event"] for e in events}
    assert {"link_created", "link_opened", "link_revoked"} <= kinds, kinds
    print("audit: link_created, link_opened and link_revoked are recorded")


def main():
    # A long first block, so the backoff check sees it still in force however slow the machine.
    with CofferServer(config_text="login_backoff:\n  base_delay: 10m\n  max_delay: 1h\n") as server:
        w = World(server)
        check_create_list_open_read(w)
        check_file_link_and_downloads(w)
        check_expiry(w)
        check_revoke_and_others(w)
        check_node_removed(w)
        check_password_and_kinds(w)
        check_malformed(w)
        check_backoff(w)
        check_audit(w)
        check_limit(w)
        fsck = server.admin("fsck")
        assert "no problem" in fsck.stdout, fsck.stdout
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
