"""coffer-admin fsck on a real cofferd's data directory: clean after real traffic; then each
kind of damage made by hand in the database or the blob files is named, `--repair` fixes
exactly what loses nothing (a wrong usage, a row for a lost blob nothing needs) and leaves the
rest reported."""

import json
import os
import sqlite3
import sys

from coffer_harness import CofferServer
from test_backup import Writers, admin

PASSWORD = "fsck password"


def database(server):
    return sqlite3.connect(os.path.join(server.data_dir, "coffer.db"), timeout=10, isolation_level=None)


def fsck(server, *args, check=False):
    return admin(server, "fsck", *args, check=check)


def main():
    with CofferServer() as server:
        server.add_user("owner", PASSWORD)
        account = server.account("owner", PASSWORD)
        with Writers(account) as writers:
            writers.wait_for(30)
            during = fsck(server)  # beside cofferd while it commits
        assert during.returncode == 0 and "no problem" in during.stdout, during.stdout + during.stderr
        clean = fsck(server)
        assert clean.returncode == 0 and "no problem" in clean.stdout, clean.stdout

        db = database(server)
        # 1. A usage that does not match the rows: found, then repaired.
        db.execute("UPDATE users SET used = used + 12345 WHERE name = 'owner'")
        found = fsck(server)
        assert found.returncode == 1 and "problem: user owner: usage" in found.stdout, found.stdout
        repaired = fsck(server, "--repair")
        assert "repaired: user owner: usage" in repaired.stdout and repaired.returncode == 0, repaired.stdout
        assert fsck(server).returncode == 0

        # 2. A blob row whose file is gone and that nothing needs: --repair deletes the row.
        lost = "ab" * 32
        db.execute("INSERT INTO blobs(id, size, created_at) VALUES (?, 10, 0)", (lost,))
        found = fsck(server)
        assert found.returncode == 1 and f"blob {lost}: its file is missing" in found.stdout, found.stdout
        repaired = fsck(server, "--repair")
        assert f"repaired: blob {lost}" in repaired.stdout and repaired.returncode == 0, repaired.stdout
        assert db.execute("SELECT count(*) FROM blobs WHERE id = ?", (lost,)).fetchone()[0] == 0

        # 3. A damaged blob file that versions need: named, never "repaired".
        victim = db.execute("SELECT blob_id FROM version_chunks LIMIT 1").fetchone()[0]
        path = os.path.join(server.data_dir, "blobs", victim[:2], victim)
        with open(path, "r+b") as f:
            original = f.read(1)
            f.seek(0)
            f.write(bytes([original[0] ^ 0x80]))
        for args in ((), ("--repair",)):
            found = fsck(server, *args)
            assert found.returncode == 1 and f"problem: blob {victim}: its bytes do not hash to its id" in found.stdout, \
                found.stdout
        with open(path, "r+b") as f:
            f.write(original)

        # 4. An entry removed behind cofferd's back: the node is unreachable; reported, left alone.
        node = db.execute("SELECT node_id FROM entries WHERE parent_id = (SELECT root_node_id FROM users "
                          "WHERE name = 'owner') LIMIT 1").fetchone()[0]
        db.execute("DELETE FROM entries WHERE node_id = ?", (node,))
        found = fsck(server, "--repair")
        assert found.returncode == 1 and f"problem: node {node}: no entry names it" in found.stdout, found.stdout
        assert db.execute("SELECT count(*) FROM nodes WHERE id = ?", (node,)).fetchone()[0] == 1

        # 4b. An entry's open row of the entry history lost behind cofferd's back: reported.
        parent, tag, child = db.execute("SELECT parent_id, name_tag, node_id FROM entries LIMIT 1").fetchone()
        db.execute("DELETE FROM entry_history WHERE parent_id = ? AND name_tag = ? AND removed_at IS NULL", (parent, tag))
        found = fsck(server)
        assert found.returncode == 1 and f"problem: entry of node {child} in {parent}: missing from the entry history" \
            in found.stdout, found.stdout

        # 5. A blob file no row names is a note for gc, not a problem.
        stray = "cd" * 32
        os.makedirs(os.path.join(server.data_dir, "blobs", "cd"), exist_ok=True)
        with open(os.path.join(server.data_dir, "blobs", "cd", stray), "wb") as f:
            f.write(b"stray")
        noted = admin(server, "--json", "fsck", check=False)
        assert any("blob files no row names" in note for note in json.loads(noted.stdout)["notes"]), \
            noted.stdout
        db.close()
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
