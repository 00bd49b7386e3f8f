"""Sharing through the mounts (issue 16 item 5): four users on one real cofferd, each with a
profile and a mount. Alice (the owner) shares a folder with bob (read) and carol (write); dave
(the outsider) gets nothing. Bob reads it byte-exact and every kind of change fails and changes
nothing on the server; carol's creates, writes, renames and deletes reach alice's mount within
2 s and alice's reach carol's; an edit both make at once leaves one conflicted copy on both
sides; after `coffer unshare` the share leaves the former grantee's mount within 2 s and their
profile holds nothing of it (journal, chunk cache, metadata cache)."""

import errno
import os
import sqlite3
import unittest

from mount_helper import PASSWORD, Device, MountedCloud, eventually, read, write

SHARED = "Shared with me"
REFUSED = (errno.EACCES, errno.EROFS, errno.EPERM)


def db(cloud):
    return sqlite3.connect(os.path.join(cloud.server.data_dir, "coffer.db"), timeout=10)


def server_state(cloud):
    """Every row that says what the cloud holds: nodes, entries, versions and their chunks, trash."""
    with db(cloud) as conn:
        return {table: sorted(map(repr, conn.execute(f"SELECT * FROM {table}")))
                for table in ("nodes", "entries", "versions", "version_chunks", "trash")}


def subtree(cloud, folder_id):
    """The node ids of a folder's live subtree, the folder included, and every blob their versions list."""
    with db(cloud) as conn:
        nodes, pending = [folder_id], [folder_id]
        while pending:
            parent = pending.pop()
            for (child,) in conn.execute("SELECT node_id FROM entries WHERE parent_id = ?", (parent,)):
                nodes.append(child)
                pending.append(child)
        blobs = set()
        for node in nodes:
            blobs.update(row[0] for row in conn.execute("SELECT blob_id FROM version_chunks WHERE node_id = ?", (node,)))
        return nodes, blobs


def profile_files(device, folder):
    found = set()
    for parent, _, files in os.walk(os.path.join(device.profile, folder)):
        found.update(files)
    return found


class SharingTest(unittest.TestCase):
    def user(self, cloud, name):
        cloud.server.add_user(name, PASSWORD)
        device = Device(cloud.server, name, cloud.root, name)
        cloud.devices.append(device)
        return device.login().mount()

    def setUp(self):
        self.cloud = MountedCloud().__enter__()
        self.addCleanup(self.cloud.__exit__, None, None, None)
        self.alice = self.cloud.device
        self.bob, self.carol, self.dave = (self.user(self.cloud, name) for name in ("bob", "carol", "dave"))
        os.makedirs(self.alice.path("Projects", "Garden", "plans"))
        self.big = os.urandom(3 * 1024 * 1024 + 12345)
        write(self.alice.path("Projects", "Garden", "photo.raw"), self.big)
        write(self.alice.path("Projects", "Garden", "plans", "beds.txt"), b"tomatoes by the wall\n")
        self.alice.sync()
        self.alice.coffer("share", self.alice.path("Projects", "Garden"), "bob", "--read")
        self.alice.coffer("share", self.alice.path("Projects", "Garden"), "carol", "--write")
        with db(self.cloud) as conn:
            (self.garden_id,) = conn.execute("SELECT DISTINCT node_id FROM grants").fetchone()

    def shared(self, device, *parts):
        return device.path(SHARED, "alice", "Garden", *parts)

    def assert_refused(self, what, action):
        with self.assertRaises(OSError, msg=what) as caught:
            action()
        self.assertIn(caught.exception.errno, REFUSED, f"{what}: {caught.exception}")

    def test_reader_reads_byte_exact_and_every_change_fails_and_changes_nothing(self):
        bob = self.bob
        eventually(self, "the share in bob's mount", lambda: os.path.exists(self.shared(bob, "photo.raw")), 2)
        self.assertEqual(sorted(os.listdir(bob.path(SHARED))), ["alice"])
        self.assertEqual(sorted(os.listdir(self.shared(bob))), ["photo.raw", "plans"])
        self.assertEqual(read(self.shared(bob, "photo.raw")), self.big)
        self.assertEqual(read(self.shared(bob, "plans", "beds.txt")), b"tomatoes by the wall\n")
        self.assertEqual(os.listdir(self.dave.path(SHARED)), [], "the outsider is shown nothing")
        before = server_state(self.cloud)

        photo, plans = self.shared(bob, "photo.raw"), self.shared(bob, "plans")
        self.assert_refused("write", lambda: open(photo, "r+b").close())
        self.assert_refused("truncate", lambda: os.truncate(photo, 0))
        self.assert_refused("create", lambda: write(self.shared(bob, "new.txt"), b"x"))
        self.assert_refused("mkdir", lambda: os.mkdir(self.shared(bob, "new")))
        self.assert_refused("rename", lambda: os.rename(photo, self.shared(bob, "moved.raw")))
        self.assert_refused("unlink", lambda: os.unlink(photo))
        self.assert_refused("rmdir", lambda: os.rmdir(plans))
        self.assert_refused("chmod", lambda: os.chmod(photo, 0o600))
        self.assert_refused("utime", lambda: os.utime(photo, (1, 1)))
        self.assert_refused("setxattr", lambda: os.setxattr(photo, "user.note", b"x"))
        self.assert_refused("symlink", lambda: os.symlink("photo.raw", self.shared(bob, "link")))
        self.assert_refused("link", lambda: os.link(photo, self.shared(bob, "hard")))
        self.assert_refused("rename the share", lambda: os.rename(self.shared(bob), bob.path(SHARED, "alice", "x")))
        self.assert_refused("create in Shared with me", lambda: os.mkdir(bob.path(SHARED, "mine")))
        with self.assertRaises(OSError) as moved:
            os.rename(photo, bob.path("photo.raw"))
        self.assertIn(moved.exception.errno, REFUSED + (errno.EXDEV,))

        bob.sync()
        self.assertEqual(server_state(self.cloud), before, "nothing changed on the server")
        self.assertEqual(read(self.shared(bob, "photo.raw")), self.big)

    def test_writer_and_owner_see_each_others_changes_within_2_s(self):
        alice, carol = self.alice, self.carol
        garden = lambda *parts: alice.path("Projects", "Garden", *parts)
        eventually(self, "the share in carol's mount", lambda: os.path.exists(self.shared(carol, "photo.raw")), 2)
        self.assertEqual(read(self.shared(carol, "photo.raw")), self.big)

        note = os.urandom(200 * 1024)
        write(self.shared(carol, "from carol.bin"), note)
        eventually(self, "carol's new file on alice's mount", lambda: read(garden("from carol.bin")) == note, 2)
        os.mkdir(self.shared(carol, "sorted"))
        os.rename(self.shared(carol, "from carol.bin"), self.shared(carol, "sorted", "kept.bin"))
        eventually(self, "carol's rename on alice's mount",
                   lambda: read(garden("sorted", "kept.bin")) == note and not os.path.exists(garden("from carol.bin")), 2)
        os.unlink(self.shared(carol, "plans", "beds.txt"))
        eventually(self, "carol's delete on alice's mount", lambda: os.listdir(garden("plans")) == [], 2)

        write(garden("from alice.txt"), b"water on sundays\n")
        eventually(self, "alice's new file on carol's mount",
                   lambda: read(self.shared(carol, "from alice.txt")) == b"water on sundays\n", 2)
        write(garden("from alice.txt"), b"water on sundays and wednesdays\n")
        eventually(self, "alice's edit on carol's mount",
                   lambda: read(self.shared(carol, "from alice.txt")) == b"water on sundays and wednesdays\n", 2)
        os.rename(garden("sorted"), garden("archive"))
        eventually(self, "alice's rename on carol's mount",
                   lambda: read(self.shared(carol, "archive", "kept.bin")) == note, 2)

        # A move out of the share copies (EXDEV); the kernel's rename(2) says so itself.
        with self.assertRaises(OSError) as moved:
            os.rename(self.shared(carol, "from alice.txt"), carol.path("mine.txt"))
        self.assertEqual(moved.exception.errno, errno.EXDEV)

    def test_an_edit_both_make_at_once_leaves_one_conflicted_copy_on_both_sides(self):
        alice, carol = self.alice, self.carol
        write(alice.path("Projects", "Garden", "notes.txt"), b"first\n")
        alice.sync()
        notes = self.shared(carol, "notes.txt")
        eventually(self, "the notes on carol's mount", lambda: read(notes) == b"first\n", 2)
        with open(notes, "r+b") as mine:  # carol's edit starts from the first version
            write(alice.path("Projects", "Garden", "notes.txt"), b"alice's second\n")
            alice.sync()
            mine.truncate(0)
            mine.write(b"carol's second\n")
        carol.sync()

        def copies(folder):
            return [n for n in os.listdir(folder) if n.startswith("notes (conflicted copy ")]

        for device, folder in ((carol, self.shared(carol)), (alice, alice.path("Projects", "Garden"))):
            eventually(self, f"one conflicted copy on {device.user}'s mount", lambda: len(copies(folder)) == 1, 5)
            self.assertEqual(read(os.path.join(folder, "notes.txt")), b"alice's second\n")
            self.assertEqual(read(os.path.join(folder, copies(folder)[0])), b"carol's second\n")

    def test_after_unshare_access_stops_within_2_s_and_the_profile_holds_nothing_of_it(self):
        alice, carol = self.alice, self.carol
        eventually(self, "the share in carol's mount", lambda: os.path.exists(self.shared(carol, "photo.raw")), 2)
        self.assertEqual(read(self.shared(carol, "photo.raw")), self.big)  # its chunks are in carol's cache
        write(self.shared(carol, "draft.txt"), b"carol was here\n")
        carol.sync()
        nodes, blobs = subtree(self.cloud, self.garden_id)
        self.assertTrue(blobs & profile_files(carol, "cache"), "carol's chunk cache held the share")
        held = open(self.shared(carol, "plans", "beds.txt"), "rb")

        alice.coffer("unshare", alice.path("Projects", "Garden"), "carol")
        eventually(self, "the share gone from carol's mount", lambda: os.listdir(carol.path(SHARED)) == [], 2)
        self.assertFalse(os.path.exists(self.shared(carol, "photo.raw")))
        with held, self.assertRaises(OSError) as caught:
            held.read()
        self.assertIn(caught.exception.errno, (errno.EACCES, errno.EIO, errno.ENOENT))
        self.assertEqual(read(self.shared(self.bob, "photo.raw")), self.big, "bob's grant is untouched")

        self.assertFalse(blobs & profile_files(carol, "cache"), "no chunk of the share in carol's cache")
        self.assertEqual(os.listdir(os.path.join(carol.profile, "journal", "blobs")), [])
        self.assertEqual(os.path.getsize(os.path.join(carol.profile, "journal", "ops.log")), 8, "no journal record")
        carol.unmount()  # the metadata cache's last write
        with sqlite3.connect(os.path.join(carol.profile, "metadata.db")) as conn:
            cached = {row[0] for row in conn.execute("SELECT id FROM rows")}
        self.assertFalse(cached & set(nodes), "no metadata cache row of the share")


if __name__ == "__main__":
    unittest.main()
