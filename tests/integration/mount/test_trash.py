"""The trash on a real cofferd and mount: `rm -rf` of a tree (folders, files, a symlink, modes)
and `coffer trash restore` of its top folder bring it all back byte-exact, on this device and
another; a name taken meanwhile gets a suffix, never an overwrite; `.coffer/trash` lists and reads
it; `coffer trash empty --older-than` keeps what is younger; and the space of deleted data comes
back: 1 GiB written, deleted, the trash emptied and `coffer-admin gc` run, the server's data dir
is within 5 % of its size before."""

import json
import os
import shutil
import stat
import time
import unittest

from mount_helper import MountedCloud, eventually, read, write
from tree_helper import differences, snapshot

KIB = 1024
MIB = 1024 * KIB


def make_project(root):
    """Folders, files of several sizes and modes, a symlink, an empty folder."""
    os.makedirs(os.path.join(root, "src", "deep"))
    os.makedirs(os.path.join(root, "empty"))
    write(os.path.join(root, "readme.txt"), b"read me\n" * 100)
    write(os.path.join(root, "src", "main.c"), b"int main(void) { return 0; }\n")
    write(os.path.join(root, "src", "big.bin"), os.urandom(2 * MIB + 12345))
    write(os.path.join(root, "src", "deep", "notes.txt"), os.urandom(300 * KIB))
    write(os.path.join(root, "run.sh"), b"#!/bin/sh\necho hi\n")
    os.chmod(os.path.join(root, "run.sh"), 0o755)
    os.chmod(os.path.join(root, "readme.txt"), 0o640)
    os.chmod(os.path.join(root, "src", "main.c"), 0o600)
    os.chmod(os.path.join(root, "src"), 0o750)
    os.symlink("src/main.c", os.path.join(root, "link"))


def contents_of(root):
    """{relative path: bytes} of every regular file."""
    result = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                result[os.path.relpath(path, root)] = read(path)
    return result


def without_folder_times(shot):
    """A folder's times change with every entry it gains; files and symlinks keep theirs."""
    return {k: v[:4] + ((None,) if stat.S_ISDIR(v[0]) else (v[4],)) + v[5:] for k, v in shot.items()}


def data_dir_bytes(data_dir):
    """Every file of the server's data dir (blobs and database), by os.walk."""
    total = 0
    for dirpath, _, filenames in os.walk(data_dir):
        for name in filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


class TrashTest(unittest.TestCase):
    def trash(self, device):
        return json.loads(device.coffer("trash", "list", "--json").stdout)["items"]

    def test_rm_rf_of_a_tree_comes_back_from_the_trash(self):
        with MountedCloud() as cloud:
            device = cloud.device
            top = device.path("project")
            make_project(top)
            before = without_folder_times(snapshot(top))
            data = contents_of(top)
            device.sync()
            shutil.rmtree(top)
            device.sync()
            items = self.trash(device)
            paths = sorted(item["path"] for item in items)
            print("trash:", paths)
            for expected in ["/project", "/project/src", "/project/src/big.bin", "/project/src/deep/notes.txt",
                             "/project/link", "/project/empty", "/project/run.sh"]:
                self.assertIn(expected, paths)
            self.assertTrue(all(item["error"] == "" for item in items), items)
            listed = device.coffer("trash", "list").stdout
            self.assertIn("/project/src/big.bin", listed)

            restored = device.coffer("trash", "restore", top).stdout
            self.assertIn("/project", restored)
            self.assertEqual(differences(without_folder_times(snapshot(top)), before), [])
            self.assertEqual(contents_of(top), data)
            self.assertEqual(os.readlink(os.path.join(top, "link")), "src/main.c")
            self.assertEqual(self.trash(device), [])

            device.sync()
            second = cloud.second_device()
            self.assertEqual(differences(without_folder_times(snapshot(second.path("project"))), before), [])
            self.assertEqual(contents_of(second.path("project")), data)
            self.assertNotIn("refused tampered data", device.log() + second.log())

    def test_a_name_taken_meanwhile_gets_a_suffix(self):
        with MountedCloud() as cloud:
            device = cloud.device
            write(device.path("a.txt"), b"the old one")
            device.sync()
            os.unlink(device.path("a.txt"))
            write(device.path("a.txt"), b"the new one")
            device.sync()
            device.coffer("trash", "restore", "/a.txt")
            self.assertEqual(read(device.path("a.txt")), b"the new one")
            self.assertEqual(read(device.path("a (restored).txt")), b"the old one")
            # By node id, into another folder.
            os.mkdir(device.path("keep"))
            write(device.path("b.txt"), b"bee")
            device.sync()
            os.unlink(device.path("b.txt"))
            device.sync()
            node = next(item["node"] for item in self.trash(device) if item["path"] == "/b.txt")
            device.coffer("trash", "restore", node, "--to", device.path("keep"))
            self.assertEqual(read(device.path("keep", "b.txt")), b"bee")
            missing = device.coffer("trash", "restore", "/nothing-here.txt", check=False)
            self.assertNotEqual(missing.returncode, 0)
            self.assertIn("coffer trash list", missing.stderr)

    def test_the_trash_view_lists_and_reads(self):
        with MountedCloud() as cloud:
            device = cloud.device
            os.makedirs(device.path("album", "2026"))
            photo = os.urandom(MIB + 777)
            write(device.path("album", "2026", "photo.jpg"), photo)
            write(device.path("dup.txt"), b"first")
            device.sync()
            os.unlink(device.path("dup.txt"))
            device.sync()
            first_at = self.trash(device)[0]["trashed_at"]
            # Numbered oldest first: the second one is trashed in a later second.
            eventually(self, "the next second", lambda: time.time() >= first_at + 1.05, 5, poll=0.05)
            write(device.path("dup.txt"), b"second")
            device.sync()
            os.unlink(device.path("dup.txt"))
            shutil.rmtree(device.path("album"))
            device.sync()
            view = device.path(".coffer", "trash")
            self.assertEqual(sorted(os.listdir(view)), ["album", "dup (2).txt", "dup.txt"])
            self.assertEqual(read(os.path.join(view, "dup.txt")), b"first")
            self.assertEqual(read(os.path.join(view, "dup (2).txt")), b"second")
            copy = os.path.join(cloud.scratch("out"), "photo.jpg")
            shutil.copyfile(os.path.join(view, "album", "2026", "photo.jpg"), copy)
            self.assertEqual(read(copy), photo)

    def test_empty_older_than_keeps_the_younger(self):
        with MountedCloud() as cloud:
            device = cloud.device
            write(device.path("old.txt"), b"old")
            write(device.path("young.txt"), b"young")
            device.sync()
            os.unlink(device.path("old.txt"))
            device.sync()
            trashed_at = self.trash(device)[0]["trashed_at"]
            eventually(self, "the clock passing the age", lambda: time.time() >= trashed_at + 3, 10, poll=0.2)
            os.unlink(device.path("young.txt"))
            device.sync()
            out = device.coffer("trash", "empty", "--older-than", "2s").stdout
            self.assertIn("Purged 1 item", out)
            self.assertEqual([item["path"] for item in self.trash(device)], ["/young.txt"])
            device.coffer("trash", "empty")
            self.assertEqual(self.trash(device), [])
            refused = device.coffer("trash", "empty", "--older-than", "soon", check=False)
            self.assertNotEqual(refused.returncode, 0)

    def test_deleted_data_gives_its_space_back(self):
        with MountedCloud() as cloud:
            device = cloud.device
            data_dir = cloud.server.data_dir
            write(device.path("kept.bin"), os.urandom(128 * MIB))
            device.sync()
            self.assertIn("old versions", device.coffer("status").stdout)
            before = data_dir_bytes(data_dir)
            os.mkdir(device.path("big"))
            for i in range(4):
                with open(device.path("big", f"part{i}.bin"), "wb") as f:
                    for _ in range(256):
                        f.write(os.urandom(MIB))
            device.sync()
            full = data_dir_bytes(data_dir)
            shutil.rmtree(device.path("big"))
            device.sync()
            device.coffer("trash", "empty")
            cloud.server.admin("gc", "--grace", "0s")
            after = data_dir_bytes(data_dir)
            print(f"data dir: {before} bytes before, {full} with 1 GiB more, {after} after delete, "
                  f"trash empty and gc ({(after - before) * 100 / before:+.2f} %)")
            self.assertGreater(full, before + 1024 * MIB)
            self.assertLessEqual(after, before * 1.05)


if __name__ == "__main__":
    unittest.main()
