"""coffer-admin gc on a real cofferd: an upload whose commit is still to come survives gc and
commits; an upload nothing lists is released (its bytes leave the uploader's usage) and removed
once older than the grace period; blob files no row names go; after an account with
64 MiB of committed files is deleted, gc brings the data directory's blobs back to within 5 %
of their size before; fsck is clean after each run."""

import json
import os
import sqlite3
import sys

from coffer_harness import CofferServer, blob_id

CHUNK = 1 << 20


def blob_path(server, ident):
    return os.path.join(server.data_dir, "blobs", ident[:2], ident)


def blob_bytes(server):
    root = os.path.join(server.data_dir, "blobs")
    return sum(os.path.getsize(os.path.join(root, shard, name))
               for shard in os.listdir(root) if shard != "tmp" for name in os.listdir(os.path.join(root, shard)))


def used(server, name):
    with sqlite3.connect(os.path.join(server.data_dir, "coffer.db")) as db:
        return db.execute("SELECT used FROM users WHERE name = ?", (name,)).fetchone()[0]


def gc(server, *args):
    return json.loads(server.admin("--json", "gc", *args).stdout)


def assert_clean(server):
    result = server.admin("fsck", check=False)
    assert result.returncode == 0 and "no problem" in result.stdout, result.stdout


def main():
    with CofferServer() as server:
        server.add_user("owner", "owner password")
        owner = server.account("owner", "owner password")
        node = owner.create(owner.root_id, "kept.bin")["node"]["node_id"]
        committed = os.urandom(CHUNK)
        assert owner.commit(node, [owner.upload(committed)])[0] == 201

        # An upload whose commit has not come yet survives gc (default grace) and then commits.
        in_flight = os.urandom(CHUNK)
        in_flight_id = owner.upload(in_flight)
        first = gc(server)
        assert first["released_holdings"] == 0 and first["removed_blobs"] == 0, first
        assert owner.commit(node, [in_flight_id], base_version=1)[0] == 201
        assert owner.client.get("/v1/blobs/" + in_flight_id, raw=True) == (200, in_flight)
        assert_clean(server)

        # An abandoned upload: released and removed once past the grace period (here none).
        abandoned = os.urandom(CHUNK)
        abandoned_id = owner.upload(abandoned)
        before = used(server, "owner")
        collected = gc(server, "--grace", "0s")
        assert collected["released_holdings"] == 1 and collected["removed_blobs"] == 1, collected
        assert collected["removed_bytes"] == len(abandoned), collected
        assert used(server, "owner") == before - len(abandoned)
        assert not os.path.exists(blob_path(server, abandoned_id))
        for kept in (blob_id(committed), in_flight_id):  # listed by versions: never touched
            assert os.path.exists(blob_path(server, kept)), kept
        assert_clean(server)

        # A blob file no row names (a crash after its rename) goes.
        stray = "ab" * 32
        os.makedirs(os.path.dirname(blob_path(server, stray)), exist_ok=True)
        with open(blob_path(server, stray), "wb") as f:
            f.write(b"stray")
        assert gc(server)["removed_files"] == 1
        assert not os.path.exists(blob_path(server, stray))

        # Space comes back: an account's 64 MiB, deleted, then gc.
        baseline = blob_bytes(server)
        server.add_user("leaver", "leaver password")
        leaver = server.account("leaver", "leaver password")
        for i in range(8):
            file_node = leaver.create(leaver.root_id, f"f{i}.bin")["node"]["node_id"]
            chunks = [leaver.upload(os.urandom(CHUNK)) for _ in range(8)]
            assert leaver.commit(file_node, chunks)[0] == 201
        grown = blob_bytes(server)
        assert grown - baseline >= 64 * CHUNK, (baseline, grown)
        server.admin("user", "delete", "leaver")
        freed = gc(server)
        after = blob_bytes(server)
        assert after <= baseline * 1.05, (baseline, grown, after, freed)
        assert_clean(server)
        print(f"blobs: {baseline} bytes before, {grown} with the account, {after} after delete + gc "
              f"({freed['removed_blobs']} blobs removed)")
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
