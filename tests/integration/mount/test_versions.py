"""File history on a real cofferd and mount: every committed upload is a version; `coffer versions`
lists them, `coffer restore` brings each back byte-exact as a new version (so a restore can be
undone) or as a new file, `cp` from `MOUNTPOINT/.coffer/versions/PATH/` reads each one, `.coffer`
is reserved and read-only, another device sees a restore, and `coffer ls --at` lists a folder as
it was."""

import errno
import json
import os
import shutil
import time
import unittest

from coffer_harness import bin_path
from mount_helper import MountedCloud, eventually, read, run, write

KIB = 1024
MIB = 1024 * KIB


def contents():
    """Five versions of one file: small (inline), several chunks, a tiny one, between."""
    sizes = [1000, 300 * KIB, 2 * MIB + 512 * KIB, 10, MIB + 7]
    return [bytes([i + 1]) * 16 + os.urandom(size - 16) if size > 16 else bytes([i + 1]) * size
            for i, size in enumerate(sizes)]


class VersionsTest(unittest.TestCase):
    def versions(self, device, path):
        return json.loads(device.coffer("versions", path, "--json").stdout)["versions"]

    def test_each_version_comes_back_by_command_and_from_the_view(self):
        with MountedCloud() as cloud:
            device = cloud.device
            os.mkdir(device.path("docs"))
            path = device.path("docs", "report.txt")
            saved = contents()
            for data in saved:
                write(path, data)
                device.sync()

            listed = self.versions(device, path)
            print("versions:", [(v["version"], v["size"], v["device"]) for v in listed])
            self.assertEqual([v["version"] for v in listed], [1, 2, 3, 4, 5])
            self.assertEqual([v["size"] for v in listed], [len(d) for d in saved])
            self.assertEqual([v["current"] for v in listed], [False] * 4 + [True])
            for version in listed:
                self.assertEqual(version["error"], "")
                if version["device"] is not None:  # servers before schema step 9 do not know it
                    self.assertEqual(version["device"], "first-profile")
            # The same list through a path from the cloud's root and one relative to the cwd.
            self.assertEqual(self.versions(device, "/docs/report.txt"), listed)
            relative = run([bin_path("coffer"), "--profile", device.profile, "versions", "report.txt", "--json"],
                           cwd=device.path("docs"))
            self.assertEqual(json.loads(relative.stdout)["versions"], listed)

            view = device.path(".coffer", "versions", "docs", "report.txt")
            names = sorted(os.listdir(view))
            self.assertEqual(len(names), 5)
            scratch = cloud.scratch("copies")
            for number, (name, data) in enumerate(zip(names, saved), start=1):
                self.assertTrue(name.endswith(f" v{number}.txt"), name)
                self.assertNotIn(":", name)
                copy = os.path.join(scratch, name)
                shutil.copyfile(os.path.join(view, name), copy)
                self.assertEqual(read(copy), data, f"version {number} copied from the view")
                self.assertEqual(os.stat(os.path.join(view, name)).st_size, len(data))

            # Each version back by command, as a new version the mount shows at once.
            for number, data in enumerate(saved, start=1):
                device.coffer("restore", path, "--version", number)
                self.assertEqual(read(path), data, f"restore of version {number}")
            device.sync()
            listed = self.versions(device, path)
            self.assertEqual([v["version"] for v in listed], list(range(1, 11)))
            self.assertEqual([v["size"] for v in listed[5:]], [len(d) for d in saved])

            # A restore is a version like any other: restoring the one before undoes it.
            device.coffer("restore", path, "--version", 9)
            self.assertEqual(read(path), saved[3])
            device.coffer("restore", path, "--version", 10)
            self.assertEqual(read(path), saved[4])

            # --to makes a new file, which has one version of its own.
            device.coffer("restore", "/docs/report.txt", "--version", 3, "--to", device.path("docs", "old.txt"))
            self.assertEqual(read(device.path("docs", "old.txt")), saved[2])
            device.sync()
            self.assertEqual([v["version"] for v in self.versions(device, device.path("docs", "old.txt"))], [1])
            taken = device.coffer("restore", path, "--version", 1, "--to", device.path("docs", "old.txt"), check=False)
            self.assertNotEqual(taken.returncode, 0)
            self.assertEqual(read(device.path("docs", "old.txt")), saved[2], "--to never overwrites")

            # Another device sees a restore.
            second = cloud.second_device()
            other = second.path("docs", "report.txt")
            self.assertEqual(read(other), saved[4])
            device.coffer("restore", path, "--version", 1)
            device.sync()
            eventually(self, "the restore on the second device", lambda: read(other) == saved[0], 30)
            self.assertNotIn("refused tampered data", device.log() + second.log())

    def test_dot_coffer_is_reserved_and_read_only(self):
        with MountedCloud() as cloud:
            device = cloud.device
            write(device.path("a.txt"), b"one")
            device.sync()
            write(device.path("a.txt"), b"two")
            device.sync()
            root = device.path()
            self.assertNotIn(".coffer", os.listdir(root), "not listed in the root")
            self.assertTrue(os.path.isdir(device.path(".coffer")))
            self.assertEqual(sorted(os.listdir(device.path(".coffer"))), ["trash", "versions"])

            def refused(code, call, *args):
                with self.assertRaises(OSError) as raised:
                    call(*args)
                self.assertEqual(raised.exception.errno, code, f"{call.__name__}{args}")

            refused(errno.EEXIST, os.mkdir, device.path(".coffer"))
            refused(errno.EROFS, os.rmdir, device.path(".coffer"))
            os.mkdir(device.path("empty"))
            refused(errno.EROFS, os.rename, device.path("empty"), device.path(".coffer"))
            refused(errno.EROFS, os.rename, device.path(".coffer"), device.path("elsewhere"))
            versions = device.path(".coffer", "versions", "a.txt")
            name = sorted(os.listdir(versions))[0]
            self.assertEqual(read(os.path.join(versions, name)), b"one")
            refused(errno.EROFS, open, os.path.join(versions, name), "wb")
            refused(errno.EROFS, open, os.path.join(versions, name), "ab")
            refused(errno.EROFS, open, os.path.join(versions, "new.txt"), "wb")
            refused(errno.EROFS, os.mkdir, os.path.join(versions, "folder"))
            refused(errno.EROFS, os.unlink, os.path.join(versions, name))
            refused(errno.EROFS, os.chmod, os.path.join(versions, name), 0o600)
            refused(errno.EROFS, os.utime, os.path.join(versions, name))
            refused(errno.EROFS, os.symlink, "x", device.path(".coffer", "link"))
            refused(errno.EROFS, os.rename, os.path.join(versions, name), device.path("stolen.txt"))
            self.assertEqual(read(device.path("a.txt")), b"two")

    def test_without_a_mount_the_commands_say_to_mount(self):
        with MountedCloud() as cloud:
            idle = cloud.new_device("idle").login()
            for args in (["versions", "/a.txt"], ["restore", "/a.txt", "--version", "1"], ["trash", "list"],
                         ["ls", "/"]):
                result = idle.coffer(*args, check=False)
                self.assertNotEqual(result.returncode, 0, args)
                self.assertIn("coffer mount", result.stderr, args)
            # Every command and option has its --help.
            for args in (["versions"], ["restore"], ["ls"], ["trash"], ["trash", "list"], ["trash", "restore"],
                         ["trash", "empty"]):
                shown = idle.coffer(*args, "--help")
                self.assertIn("Usage", shown.stdout)
            self.assertIn("--older-than", idle.coffer("trash", "empty", "--help").stdout)
            self.assertIn("--at", idle.coffer("ls", "--help").stdout)

    def test_ls_at_shows_a_folder_as_it_was(self):
        with MountedCloud() as cloud:
            device = cloud.device
            os.mkdir(device.path("docs"))
            write(device.path("docs", "a.txt"), b"version one")
            write(device.path("docs", "gone.txt"), b"soon gone")
            device.sync()
            written = time.time()
            eventually(self, "the next second", lambda: time.time() >= written + 1.05, 5, poll=0.05)
            at = int(time.time())
            eventually(self, "the second after", lambda: time.time() >= at + 1.05, 5, poll=0.05)
            write(device.path("docs", "a.txt"), b"version two, longer")
            os.unlink(device.path("docs", "gone.txt"))
            write(device.path("docs", "new.txt"), b"new")
            device.sync()

            def listing(*args):
                return {e["name"]: e for e in json.loads(device.coffer("ls", *args, "--json").stdout)["entries"]}

            past = listing(device.path("docs"), "--at", str(at))
            self.assertEqual(sorted(past), ["a.txt", "gone.txt"])
            self.assertEqual((past["a.txt"]["version"], past["a.txt"]["size"]), (1, len(b"version one")))
            self.assertEqual(past["gone.txt"]["error"], "")
            local = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))
            self.assertEqual(listing("/docs", "--at", local), past)
            now = listing(device.path("docs"))
            self.assertEqual(sorted(now), ["a.txt", "new.txt"])
            self.assertEqual(now["a.txt"]["size"], len(b"version two, longer"))
            shown = device.coffer("ls", "/docs", "--at", str(at)).stdout
            self.assertIn("gone.txt", shown)
            bad = device.coffer("ls", "/docs", "--at", "yesterday", check=False)
            self.assertNotEqual(bad.returncode, 0)
            self.assertIn("YYYY-MM-DD", bad.stderr)


if __name__ == "__main__":
    unittest.main()
