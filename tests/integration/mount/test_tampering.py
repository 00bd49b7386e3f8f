"""A server that lies is caught (DESIGN.md section 1, docs/crypto.md): each test plays a
malicious server by editing cofferd's database or blob files between requests, on a real
cofferd and a real mount, and checks that the device which saw the newer state answers EIO
and logs the refusal, never wrong bytes or a wrong name.

The device is unmounted and mounted again before it looks, with its metadata cache deleted, so
that it reads the server's edited state instead of what its mount held in memory or on disk;
the rest of its profile (and the highest revisions and versions it has seen, in state.db)
stays. The tree under test lives in a folder
`box` below the root, so the root itself stays sound and the mount comes up.

Names on the server are encrypted, so the tests find rows by the shape of the tree: `box` is
the root's only entry, and each test gives its files distinct types or counts.
"""

import base64
import errno
import os
import sqlite3
import unittest

from mount_helper import MountedCloud


class ServerDb:
    """cofferd's SQLite database, edited behind the server's back (it runs meanwhile; SQLite's
    locks keep each edit whole)."""

    def __init__(self, data_dir):
        self.path = os.path.join(data_dir, "coffer.db")

    def rows(self, sql, *args):
        with sqlite3.connect(self.path, timeout=30) as db:
            return db.execute(sql, args).fetchall()

    def execute(self, sql, *args):
        with sqlite3.connect(self.path, timeout=30) as db:
            db.execute(sql, args)

    def root(self):
        return self.rows("SELECT root_node_id FROM users WHERE name = 'alice'")[0][0]

    def entries(self, parent):
        """(name_tag, node_id, name, wrapped_key, created_at, type) of a folder's entries."""
        return self.rows("SELECT e.name_tag, e.node_id, e.name, e.wrapped_key, e.created_at, n.type FROM entries e "
                         "JOIN nodes n ON n.id = e.node_id WHERE e.parent_id = ? ORDER BY e.name_tag", parent)

    def only_child(self, parent):
        children = self.entries(parent)
        assert len(children) == 1, children
        return children[0][1]

    def snapshot(self, folder):
        """Everything that says what a folder holds: its entries and its sealed record."""
        return self.entries(folder), self.rows("SELECT folder_revision, folder_record FROM nodes WHERE id = ?", folder)[0]

    def restore(self, folder, snapshot):
        entries, (revision, record) = snapshot
        with sqlite3.connect(self.path, timeout=30) as db:
            db.execute("DELETE FROM entries WHERE parent_id = ?", (folder,))
            for tag, node, name, key, created, _ in entries:
                db.execute("INSERT INTO entries (parent_id, name_tag, node_id, name, wrapped_key, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)", (folder, tag, node, name, key, created))
            db.execute("UPDATE nodes SET folder_revision = ?, folder_record = ? WHERE id = ?", (revision, record, folder))


FILE, FOLDER = 0, 1


class TamperingTest(unittest.TestCase):
    def setUp(self):
        self.cloud = MountedCloud().__enter__()
        self.device = self.cloud.device
        self.db = ServerDb(self.cloud.server.data_dir)
        os.mkdir(self.cloud.path("box"))

    def tearDown(self):
        self.cloud.__exit__(None, None, None)

    def write(self, *parts, data):
        with open(self.cloud.path("box", *parts), "wb") as f:
            f.write(data)

    def box(self):
        return self.db.only_child(self.db.root())

    def look_again(self):
        """The device unmounts and mounts again without its metadata cache (which would show
        what it verified before, never asking the server): what it shows now comes from the
        server."""
        self.device.unmount()
        for suffix in ("", "-wal", "-shm"):
            path = os.path.join(self.device.profile, "metadata.db" + suffix)
            if os.path.exists(path):
                os.remove(path)
        self.device.mount()

    def assert_eio(self, action, *parts):
        with self.assertRaises(OSError) as caught:
            action(self.cloud.path("box", *parts))
        self.assertEqual(caught.exception.errno, errno.EIO, caught.exception)

    def assert_logged(self, *words):
        log = self.device.log()
        self.assertIn("refused tampered data", log)
        for word in words:
            self.assertIn(word, log)

    def read(self, *parts):
        with open(self.cloud.path("box", *parts), "rb") as f:
            return f.read()

    def test_two_entries_swapped_give_eio_for_both_names(self):
        self.write("a.txt", data=b"alpha " * 1000)
        self.write("b.txt", data=b"bravo " * 1000)
        self.cloud.sync()
        box = self.box()
        (tag_a, node_a, *_), (tag_b, node_b, *_) = self.db.entries(box)
        self.db.execute("UPDATE entries SET node_id = 'swap' WHERE parent_id = ? AND name_tag = ?", box, tag_a)
        self.db.execute("UPDATE entries SET node_id = ? WHERE parent_id = ? AND name_tag = ?", node_a, box, tag_b)
        self.db.execute("UPDATE entries SET node_id = ? WHERE parent_id = ? AND name_tag = ?", node_b, box, tag_a)
        self.look_again()
        self.assertEqual(sorted(os.listdir(self.cloud.path("box"))), ["a.txt", "b.txt"])  # nothing hidden
        for name in ("a.txt", "b.txt"):
            self.assert_eio(os.stat, name)
            self.assert_eio(open, name)
        self.assert_logged("sealed entry does not open")

    def test_a_wrapped_key_swapped_gives_eio(self):
        self.write("a.txt", data=b"alpha")
        self.write("b.txt", data=b"bravo")
        self.cloud.sync()
        box = self.box()
        (tag_a, _, _, key_a, *_), (tag_b, _, _, key_b, *_) = self.db.entries(box)
        self.db.execute("UPDATE entries SET wrapped_key = ? WHERE parent_id = ? AND name_tag = ?", key_b, box, tag_a)
        self.db.execute("UPDATE entries SET wrapped_key = ? WHERE parent_id = ? AND name_tag = ?", key_a, box, tag_b)
        self.look_again()
        self.assert_eio(os.listdir)
        self.assert_eio(os.stat, "a.txt")
        self.assert_logged("does not match the sealed record")

    def test_an_entry_moved_to_another_folder_gives_eio_in_both(self):
        os.mkdir(self.cloud.path("box", "sub"))
        self.write("moved.txt", data=b"where am I")
        self.write("sub", "resident.txt", data=b"I live here")
        self.cloud.sync()
        box = self.box()
        entries = self.db.entries(box)
        sub = next(row[1] for row in entries if row[5] == FOLDER)
        moved_tag = next(row[0] for row in entries if row[5] == FILE)
        self.db.execute("UPDATE entries SET parent_id = ? WHERE parent_id = ? AND name_tag = ?", sub, box, moved_tag)
        self.look_again()
        self.assert_eio(os.listdir)
        self.assert_eio(os.stat, "moved.txt")
        self.assert_logged("an entry was added, dropped or replaced")

    def test_a_folder_listing_rolled_back_to_an_older_revision_gives_eio(self):
        self.write("first.txt", data=b"1")
        self.cloud.sync()
        box = self.box()
        older = self.db.snapshot(box)
        self.write("second.txt", data=b"2")
        self.cloud.sync()
        self.db.restore(box, older)
        self.look_again()
        self.assert_eio(os.listdir)
        self.assert_eio(os.stat, "first.txt")
        self.assert_logged("rollback")

    def test_an_entry_dropped_gives_eio(self):
        self.write("kept.txt", data=b"kept")
        self.write("dropped.txt", data=b"dropped")
        self.cloud.sync()
        box = self.box()
        tag = self.db.entries(box)[0][0]
        self.db.execute("DELETE FROM entries WHERE parent_id = ? AND name_tag = ?", box, tag)
        self.look_again()
        self.assert_eio(os.listdir)
        self.assert_logged("an entry was added, dropped or replaced")

    def test_an_entry_added_gives_eio(self):
        os.mkdir(self.cloud.path("box", "sub"))
        self.write("sub", "inside.txt", data=b"inside")
        self.cloud.sync()
        box = self.box()
        sub = self.db.only_child(box)
        tag, node, name, key, created, _ = self.db.entries(sub)[0]
        self.db.execute("INSERT INTO entries (parent_id, name_tag, node_id, name, wrapped_key, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", box, tag, node, name, key, created)
        self.look_again()
        self.assert_eio(os.listdir)
        self.assert_logged("an entry was added, dropped or replaced")

    def test_a_deleted_file_put_back_gives_eio(self):
        self.write("secret.txt", data=b"delete me")
        self.write("other.txt", data=b"stays")
        self.cloud.sync()
        box = self.box()
        with_secret = self.db.snapshot(box)
        os.unlink(self.cloud.path("box", "secret.txt"))
        self.cloud.sync()
        self.db.restore(box, with_secret)
        self.look_again()
        self.assert_eio(os.listdir)
        self.assert_eio(open, "secret.txt")
        self.assert_logged("rollback")

    def test_an_editors_rename_over_save_rolled_back_gives_eio(self):
        self.write("doc.txt", data=b"draft one\n")
        self.cloud.sync()
        box = self.box()
        before_save = self.db.snapshot(box)
        self.write(".doc.txt.swp", data=b"final text\n")
        os.rename(self.cloud.path("box", ".doc.txt.swp"), self.cloud.path("box", "doc.txt"))
        self.cloud.sync()
        self.db.restore(box, before_save)
        self.look_again()
        self.assert_eio(self.read, "doc.txt")
        self.assert_logged("rollback")

    def test_an_old_attribute_record_replayed_gives_eio(self):
        self.write("mode.txt", data=b"x")
        os.chmod(self.cloud.path("box", "mode.txt"), 0o600)
        self.cloud.sync()
        node = self.db.only_child(self.box())
        old = self.db.rows("SELECT attributes, attributes_revision FROM nodes WHERE id = ?", node)[0]
        os.chmod(self.cloud.path("box", "mode.txt"), 0o644)
        self.cloud.sync()
        self.db.execute("UPDATE nodes SET attributes = ?, attributes_revision = ? WHERE id = ?", old[0], old[1], node)
        self.look_again()
        self.assert_eio(os.stat, "mode.txt")
        self.assert_logged("rollback")

    def test_a_truncated_manifest_gives_eio(self):
        self.write("long.bin", data=os.urandom(3 << 20))
        self.cloud.sync()
        node = self.db.only_child(self.box())
        version, manifest = self.db.rows("SELECT version, manifest FROM versions WHERE node_id = ? "
                                         "ORDER BY version DESC LIMIT 1", node)[0]
        raw = base64.urlsafe_b64decode(manifest)
        cut = base64.urlsafe_b64encode(raw[:-32]).decode()
        self.db.execute("UPDATE versions SET manifest = ? WHERE node_id = ? AND version = ?", cut, node, version)
        self.look_again()
        self.assert_eio(self.read, "long.bin")
        self.assert_logged("manifest")


if __name__ == "__main__":
    unittest.main()
