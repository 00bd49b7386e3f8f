"""Retention and trash expiry on a real cofferd, through coffer-admin with a fixed clock
(--now): exactly the versions the policy keeps remain (all for 24 h, the newest of a day for 30
days, of a week for a year, the current one always, then the per-user cap, oldest first); a
pruned version's chunk that a kept version lists stays readable, and gc then frees only the
blobs no kept version lists; a dry run changes nothing; trash expiry purges what is older than
trash.max_age and says so in the feed; the entry history of entries removed before the longest
horizon is forgotten; fsck stays clean."""

import json
import os
import sqlite3
import sys
import time

from coffer_harness import CofferServer, blob_id, name_tag

DAY = 86400
KIB = 1024


def admin_json(server, *args):
    return json.loads(server.admin("--json", "--config", server.config_path, *args).stdout)


def version_numbers(account, node):
    return [v["version"] for v in account.client.expect(200, "GET", f"/v1/nodes/{node}/versions")["versions"]]


def set_created_at(server, node, times):
    with sqlite3.connect(os.path.join(server.data_dir, "coffer.db"), timeout=10) as db:
        for version, at in times.items():
            db.execute("UPDATE versions SET created_at = ? WHERE node_id = ? AND version = ?", (at, node, version))


def blob_file(server, ident):
    return os.path.join(server.data_dir, "blobs", ident[:2], ident)


def assert_clean(server):
    result = server.admin("fsck", check=False)
    assert result.returncode == 0 and "no problem" in result.stdout, result.stdout


def commit_versions(account, node, chunks_per_version):
    for number, chunks in enumerate(chunks_per_version, start=1):
        ids = [account.upload(chunk) for chunk in chunks]
        assert account.commit(node, ids, base_version=number - 1)[0] == 201


def check_real_clock(server, a):
    """Versions just committed: an hour later all stay; after a year only the current one."""
    node = a.create(a.root_id, "fresh.txt")["node"]["node_id"]
    commit_versions(a, node, [[os.urandom(KIB)] for _ in range(3)])
    committed = max(v["created_at"] for v in a.client.expect(200, "GET", f"/v1/nodes/{node}/versions")["versions"])
    assert admin_json(server, "versions", "prune", "--now", str(committed + 3600))["versions"] == 0
    assert version_numbers(a, node) == [1, 2, 3]
    report = admin_json(server, "versions", "prune", "--now", str(committed + 400 * DAY), "--user", "alice")
    assert report["versions"] == 2 and report["files"] == 1, report
    assert version_numbers(a, node) == [3]
    assert a.client.expect(200, "GET", f"/v1/nodes/{node}")["version"] == 3
    print("just committed: all kept an hour later; a year later only the current version")


def check_policy(server, a):
    """Six versions at chosen ages; each shares the chunk `common` and has one of its own."""
    node = a.create(a.root_id, "report.txt")["node"]["node_id"]
    common = os.urandom(4 * KIB)
    own = [os.urandom((i + 1) * KIB) for i in range(6)]
    commit_versions(a, node, [[common, chunk] for chunk in own])
    now = (int(time.time()) // DAY) * DAY + 12 * 3600  # noon UTC today: the days below stay whole
    set_created_at(server, node, {1: now - 400 * DAY,            # older than a year: goes
                                  2: now - 100 * DAY - 3600,     # same day as 3, older: goes
                                  3: now - 100 * DAY,            # newest of its week: stays
                                  4: now - 10 * DAY,             # newest of its day: stays
                                  5: now - 2 * 3600})            # within 24 h: stays
    dry = admin_json(server, "versions", "prune", "--now", str(now), "--dry-run")
    assert dry["versions"] == 2 and dry["dry_run"], dry
    assert version_numbers(a, node) == [1, 2, 3, 4, 5, 6], "a dry run changes nothing"
    report = admin_json(server, "versions", "prune", "--now", str(now))
    assert report == dict(dry, dry_run=False), (report, dry)
    assert report["unreferenced_blobs"] == 2 and report["unreferenced_bytes"] == len(own[0]) + len(own[1]), report
    assert version_numbers(a, node) == [3, 4, 5, 6]
    # The shared chunk of the pruned versions is still listed, so still readable.
    assert blob_id(common) in a.client.expect(200, "GET", f"/v1/nodes/{node}/versions/3")["chunks"]
    assert a.client.get("/v1/blobs/" + blob_id(common), raw=True) == (200, common)
    assert a.client.get(f"/v1/nodes/{node}/versions/1")[0] == 404
    server.admin("gc", "--grace", "0s")
    for gone in own[:2]:
        assert not os.path.exists(blob_file(server, blob_id(gone)))
    for kept in [common] + own[2:]:
        assert os.path.exists(blob_file(server, blob_id(kept))), "gc freed a blob a kept version lists"
    assert_clean(server)
    print("by age: exactly versions 3-6 remain; the shared chunk stays readable; gc frees only the pruned chunks")
    return node, own, now


def check_cap(server, a, node, own, now):
    """max_old_bytes in the configuration is len(own[3]) + len(own[4]) = 9 KiB: of the old
    versions 3, 4 and 5 (their own chunks: 3, 4, 5 KiB; `common` is the current version's too),
    the oldest goes."""
    report = admin_json(server, "versions", "prune", "--now", str(now))
    assert report["versions"] == 1 and report["unreferenced_bytes"] == len(own[2]), report
    assert version_numbers(a, node) == [4, 5, 6]
    assert admin_json(server, "versions", "prune", "--now", str(now))["versions"] == 0
    assert_clean(server)
    print("the per-user cap prunes the oldest old version, and only as much as needed")


def check_trash_expiry(server, a):
    c = a.client
    cursor = c.expect(200, "GET", "/v1/changes?cursor=latest")["cursor"]
    node = a.create(a.root_id, "old.txt")["node"]["node_id"]
    commit_versions(a, node, [[os.urandom(2 * KIB)]])
    c.expect(204, "DELETE", f"/v1/nodes/{a.root_id}/entries/{name_tag(a.root_key, 'old.txt')}")
    trashed = c.expect(200, "GET", "/v1/trash")["items"][0]["trashed_at"]
    assert admin_json(server, "trash", "expire", "--now", str(trashed + 29 * DAY))["nodes"] == 0
    dry = admin_json(server, "trash", "expire", "--now", str(trashed + 31 * DAY), "--dry-run")
    assert dry["nodes"] == 1 and dry["versions"] == 1, dry
    assert len(c.expect(200, "GET", "/v1/trash")["items"]) == 1
    assert admin_json(server, "trash", "expire", "--now", str(trashed + 31 * DAY))["nodes"] == 1
    assert c.expect(200, "GET", "/v1/trash")["items"] == [] and c.get(f"/v1/nodes/{node}")[0] == 404
    kinds = [(ch["node_id"], ch["kind"], ch["own"]) for ch in c.expect(200, "GET", f"/v1/changes?cursor={cursor}")["changes"]]
    assert (node, "purged", False) in kinds, kinds
    bad = server.admin("trash", "expire", "--now", "next tuesday", check=False)
    assert bad.returncode == 1 and "--now" in bad.stderr, bad
    assert_clean(server)
    print("trash expire: nothing before max_age, the node after it (a `purged` change for every device)")


def check_history_forgotten(server, a):
    c = a.client
    node = a.create(a.root_id, "gone.txt")["node"]["node_id"]
    with sqlite3.connect(os.path.join(server.data_dir, "coffer.db"), timeout=10) as db:
        db.execute("UPDATE entry_history SET added_at = added_at - 10 WHERE node_id = ?", (node,))
    c.expect(204, "DELETE", f"/v1/nodes/{a.root_id}/entries/{name_tag(a.root_key, 'gone.txt')}")
    now = int(time.time())

    def listed():
        return [e["node"]["node_id"] for e in c.expect(200, "GET", f"/v1/nodes/{a.root_id}/entries?at={now - 5}")["entries"]]

    assert node in listed()
    assert admin_json(server, "versions", "prune", "--now", str(now + 300 * DAY))["history_rows"] == 0
    assert node in listed(), "removed less than a year (the longest horizon) before: kept"
    assert admin_json(server, "versions", "prune", "--now", str(now + 400 * DAY))["history_rows"] >= 1
    assert node not in listed()
    assert_clean(server)
    print("the history of entries removed longer ago than the longest horizon is forgotten")


def main():
    cap = 9 * KIB
    with CofferServer(config_text=f"retention:\n  keep_all: 24h\n  max_old_bytes: 0\ntrash:\n  max_age: 30d\n") as server:
        server.add_user("alice", "alice password")
        a = server.account("alice", "alice password")
        check_real_clock(server, a)
        node, own, now = check_policy(server, a)
        with open(server.config_path, "w") as f:
            f.write(f"retention:\n  max_old_bytes: {cap}\n")
        check_cap(server, a, node, own, now)
        check_trash_expiry(server, a)
        check_history_forgotten(server, a)
        unknown = server.admin("versions", "prune", "--user", "nobody", check=False)
        assert unknown.returncode == 1 and "nobody" in unknown.stderr, unknown
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
