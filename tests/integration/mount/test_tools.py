"""Everyday tools in the mount, on a real cofferd: cp -a, rsync -a, tar, git, SQLite, and
editors' write-temp-then-rename saves. Trees are compared with diff -r and by mode, owner and
nanosecond mtime, on the mounting device and on a second device after `coffer sync`."""

import os
import sqlite3
import subprocess
import unittest

from mount_helper import MountedCloud, run
from tree_helper import differences, make_tree, snapshot


class ToolsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cloud = MountedCloud().__enter__()
        cls.source = cls.cloud.scratch("source")
        make_tree(cls.source)

    @classmethod
    def tearDownClass(cls):
        cls.cloud.__exit__(None, None, None)

    def assert_same_tree(self, a, b):
        run(["diff", "-r", "--no-dereference", a, b])
        self.assertEqual(differences(snapshot(a), snapshot(b)), [])

    def test_cp_a_in_and_out(self):
        inside = self.cloud.path("cp-tree")
        run(["cp", "-a", self.source, inside])
        self.assert_same_tree(self.source, inside)
        outside = os.path.join(self.cloud.scratch("cp-out"), "tree")
        run(["cp", "-a", inside, outside])
        self.assert_same_tree(self.source, outside)
        self.assertEqual(os.stat(os.path.join(inside, "hardlink")).st_nlink, 2)
        self.assertEqual(os.stat(os.path.join(inside, "hardlink")).st_ino,
                         os.stat(os.path.join(inside, "src", "file4.bin")).st_ino)
        self.cloud.sync()
        other = self.cloud.second_device("cp-reader")
        self.assert_same_tree(self.source, other.path("cp-tree"))
        other.unmount()

    def test_rsync_a_in_and_out_and_no_change(self):
        inside = self.cloud.path("rsync-tree")
        run(["rsync", "-aH", self.source + "/", inside + "/"])
        self.assert_same_tree(self.source, inside)
        again = run(["rsync", "-aH", "--itemize-changes", self.source + "/", inside + "/"])
        self.assertEqual(again.stdout.strip(), "", "a second rsync found changes")
        outside = self.cloud.scratch("rsync-out")
        run(["rsync", "-aH", inside + "/", outside + "/"])
        self.assert_same_tree(self.source, outside)

    def test_tar_create_and_extract(self):
        archive = self.cloud.path("tree.tar")
        run(["tar", "--format=posix", "-C", self.source, "-cf", archive, "."])
        extracted = self.cloud.path("tar-tree")
        os.mkdir(extracted)
        run(["tar", "-C", extracted, "-xpf", archive])
        self.assert_same_tree(self.source, extracted)
        listing = run(["tar", "-tf", archive]).stdout
        self.assertIn("./src/deep/er/text with spaces.txt", listing)

    def test_git_commits_clone_and_fsck(self):
        repo = self.cloud.path("repo")
        git = ["git", "-c", "user.name=Tester", "-c", "user.email=t@example.org"]
        run(["git", "init", "-q", repo])
        for i in range(5):
            with open(os.path.join(repo, f"f{i}.txt"), "w") as f:
                f.write(f"version {i}\n" * 1000)
            run(git + ["-C", repo, "add", "."])
            run(git + ["-C", repo, "commit", "-q", "-m", f"commit {i}"])
        run(git + ["-C", repo, "gc", "-q"])
        run(["git", "-C", repo, "fsck", "--strict"])
        clone = self.cloud.path("clone")
        run(["git", "clone", "-q", repo, clone])
        run(["git", "-C", clone, "fsck", "--strict"])
        log = run(["git", "-C", clone, "log", "--oneline"]).stdout.splitlines()
        self.assertEqual(len(log), 5)
        self.cloud.sync()
        other = self.cloud.second_device("git-reader")
        run(["git", "-C", other.path("clone"), "fsck", "--strict"])
        other.unmount()

    def test_sqlite_transactions_and_integrity(self):
        for mode in ("delete", "wal"):
            with self.subTest(journal_mode=mode):
                self.sqlite_round(f"app-{mode}.db", mode)

    def sqlite_round(self, name, mode):
        path = self.cloud.path(name)
        db = sqlite3.connect(path)
        self.assertEqual(db.execute(f"PRAGMA journal_mode={mode}").fetchone()[0], mode)
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
        for round_ in range(30):
            with db:
                db.executemany("INSERT INTO t (payload) VALUES (?)", [(f"{round_}-{i}" * 20,) for i in range(100)])
        with self.assertRaises(sqlite3.IntegrityError):
            with db:
                db.execute("INSERT INTO t (payload) VALUES ('lost')")
                db.execute("INSERT INTO t (id, payload) VALUES (1, 'duplicate')")
        db.execute("DELETE FROM t WHERE id % 3 = 0")
        db.commit()
        db.execute("VACUUM")
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        count = db.execute("SELECT count(*) FROM t").fetchone()[0]
        db.close()
        self.assertEqual(count, 2000)
        self.cloud.sync()
        other = self.cloud.second_device(f"sqlite-reader-{mode}")
        db = sqlite3.connect(other.path(name))
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual(db.execute("SELECT count(*) FROM t").fetchone()[0], 2000)
        db.close()
        other.unmount()

    def test_write_temp_then_rename_saves(self):
        path = self.cloud.path("document.txt")
        for version in range(20):
            temporary = path + ".tmp"
            with open(temporary, "w") as f:
                f.write(f"version {version}\n" * (version + 1))
                f.flush()
                os.fsync(f.fileno())
            os.rename(temporary, path)
        with open(path) as f:
            self.assertEqual(f.read(), "version 19\n" * 20)
        self.assertFalse(os.path.exists(path + ".tmp"))
        self.cloud.sync()
        other = self.cloud.second_device("save-reader")
        with open(other.path("document.txt")) as f:
            self.assertEqual(f.read(), "version 19\n" * 20)
        other.unmount()


if __name__ == "__main__":
    unittest.main()
