"""POSIX behaviour of the mount on a real cofferd: names, nesting, big folders, sparse files,
concurrent appends, mmap, locks, hard links, xattrs, open-after-unlink, rename flags, times,
ownership and permissions enforced by the kernel, statfs with the quota, and honest errno."""

import ctypes
import errno
import fcntl
import mmap
import os
import subprocess
import sys
import unittest

from mount_helper import MountedCloud, run

QUOTA = 50 << 30
AT_FDCWD = -100
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2


def renameat2(old, new, flags):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.renameat2(AT_FDCWD, old.encode(), AT_FDCWD, new.encode(), flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def as_nobody(code):
    """Runs Python code as user nobody (65534); returns the CompletedProcess."""
    script = f"import os\nos.setgid(65534)\nos.setuid(65534)\n{code}"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


class PosixTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cloud = MountedCloud(quota=QUOTA, mount_options=("-o", "allow_other")).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.cloud.__exit__(None, None, None)

    def path(self, *parts):
        return self.cloud.path(*parts)

    def test_names_with_spaces_unicode_and_255_bytes(self):
        os.mkdir(self.path("names"))
        names = ["with  spaces ", "unicod\u00e9 \u2603 \U0001F600", "x" * 255, "\u00e9" * 127 + "a"]
        for name in names:
            with open(self.path("names", name), "w") as f:
                f.write(name)
        self.assertEqual(sorted(os.listdir(self.path("names"))), sorted(names))
        with self.assertRaises(OSError) as caught:
            open(self.path("names", "y" * 256), "w")
        self.assertEqual(caught.exception.errno, errno.ENAMETOOLONG)
        for name in names:
            with open(self.path("names", name)) as f:
                self.assertEqual(f.read(), name)

    def test_fifty_levels_of_nesting(self):
        parts = ["nest"] + [f"level{i}" for i in range(50)]
        os.makedirs(self.path(*parts))
        with open(self.path(*parts, "bottom.txt"), "w") as f:
            f.write("deep")
        found = [root for root, dirs, files in os.walk(self.path("nest")) if "bottom.txt" in files]
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0].count("/level"), 50)

    def test_ten_thousand_files_in_one_folder(self):
        folder = self.path("many")
        os.mkdir(folder)
        for i in range(10000):
            with open(os.path.join(folder, f"file-{i:05d}"), "w") as f:
                f.write(str(i))
        names = os.listdir(folder)
        self.assertEqual(len(names), 10000)
        self.assertEqual(sum(os.stat(os.path.join(folder, n)).st_size for n in names),
                         sum(len(str(i)) for i in range(10000)))
        self.cloud.sync()
        other = self.cloud.second_device("many-reader")
        self.assertEqual(len(os.listdir(other.path("many"))), 10000)
        with open(other.path("many", "file-09999")) as f:
            self.assertEqual(f.read(), "9999")
        other.unmount()

    def test_two_gib_sparse_file_at_scattered_offsets(self):
        path = self.path("sparse.img")
        offsets = [0, 1 << 20, 123456789, 1 << 30, (2 << 30) - 7]
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        for offset in offsets:
            os.pwrite(fd, b"MARKER!", offset)
        os.close(fd)
        self.assertEqual(os.stat(path).st_size, 2 << 30)
        fd = os.open(path, os.O_RDONLY)
        for offset in offsets:
            self.assertEqual(os.pread(fd, 7, offset), b"MARKER!")
        self.assertEqual(os.pread(fd, 4096, 500 << 20), bytes(4096))
        os.close(fd)
        self.cloud.sync()
        profile_bytes = int(run(["du", "-sb", self.cloud.device.profile]).stdout.split()[0])
        self.assertLess(profile_bytes, 64 << 20, "the journal and cache must stay sparse")

    def test_two_processes_appending(self):
        path = self.path("appended.log")
        script = ("import os,sys\nfd=os.open(sys.argv[1], os.O_WRONLY|os.O_APPEND|os.O_CREAT, 0o644)\n"
                  "for i in range(500): os.write(fd, (sys.argv[2]+'%04d'%i+'.'*40+'\\n').encode())\nos.close(fd)\n")
        writers = [subprocess.Popen([sys.executable, "-c", script, path, tag]) for tag in ("A", "B")]
        for writer in writers:
            self.assertEqual(writer.wait(timeout=120), 0)
        with open(path) as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 1000)
        for tag in ("A", "B"):
            own = [line for line in lines if line.startswith(tag)]
            self.assertEqual(own, [tag + "%04d" % i + "." * 40 for i in range(500)])

    def test_mmap_write(self):
        path = self.path("mapped.bin")
        with open(path, "wb") as f:
            f.write(bytes(3 * 4096))
        with open(path, "r+b") as f:
            mapped = mmap.mmap(f.fileno(), 3 * 4096)
            mapped[4096:4100] = b"MMAP"
            mapped.flush()
            mapped.close()
        with open(path, "rb") as f:
            self.assertEqual(f.read()[4096:4100], b"MMAP")
        self.cloud.sync()
        other = self.cloud.second_device("mmap-reader")
        with open(other.path("mapped.bin"), "rb") as f:
            self.assertEqual(f.read()[4096:4100], b"MMAP")
        other.unmount()

    def test_flock_and_fcntl_locks_between_processes(self):
        path = self.path("lockfile")
        holder = open(path, "w")
        fcntl.flock(holder, fcntl.LOCK_EX)
        probe = ("import fcntl,sys\nf=open(sys.argv[1],'r+')\n"
                 "try:\n  fcntl.{}(f, fcntl.LOCK_EX|fcntl.LOCK_NB)\n  sys.exit(1)\n"
                 "except OSError:\n  sys.exit(0)\n")
        self.assertEqual(subprocess.run([sys.executable, "-c", probe.format("flock"), path]).returncode, 0)
        fcntl.flock(holder, fcntl.LOCK_UN)
        fcntl.lockf(holder, fcntl.LOCK_EX)
        self.assertEqual(subprocess.run([sys.executable, "-c", probe.format("lockf"), path]).returncode, 0)
        fcntl.lockf(holder, fcntl.LOCK_UN)
        self.assertEqual(subprocess.run([sys.executable, "-c", probe.format("lockf"), path]).returncode, 1)
        holder.close()

    def test_hard_links_share_attributes_through_every_name(self):
        first = self.path("linked-a")
        with open(first, "w") as f:
            f.write("shared")
        os.mkdir(self.path("linkdir"))
        second = self.path("linkdir", "linked-b")
        os.link(first, second)
        self.assertEqual(os.stat(first).st_nlink, 2)
        self.assertEqual(os.stat(first).st_ino, os.stat(second).st_ino)
        os.chmod(second, 0o640)
        self.assertEqual(os.stat(first).st_mode & 0o777, 0o640)
        with open(second, "a") as f:
            f.write(" more")
        with open(first) as f:
            self.assertEqual(f.read(), "shared more")
        with self.assertRaises(OSError) as caught:
            os.link(self.path("linkdir"), self.path("dirlink"))
        self.assertEqual(caught.exception.errno, errno.EPERM)
        os.unlink(first)
        self.assertEqual(os.stat(second).st_nlink, 1)

    def test_extended_attributes(self):
        path = self.path("xattrs.txt")
        open(path, "w").close()
        os.setxattr(path, "user.color", b"blue")
        os.setxattr(path, "user.empty", b"")
        with self.assertRaises(OSError) as caught:
            os.setxattr(path, "user.color", b"red", os.XATTR_CREATE)
        self.assertEqual(caught.exception.errno, errno.EEXIST)
        self.assertEqual(sorted(os.listxattr(path)), ["user.color", "user.empty"])
        os.removexattr(path, "user.empty")
        with self.assertRaises(OSError) as caught:
            os.getxattr(path, "user.empty")
        self.assertEqual(caught.exception.errno, errno.ENODATA)
        refused = [lambda: os.getxattr(path, "security.selinux"), lambda: os.getxattr(path, "system.posix_acl_access"),
                   lambda: os.setxattr(path, "security.selinux", b"label")]
        for call in refused:
            with self.assertRaises(OSError) as caught:
                call()
            self.assertEqual(caught.exception.errno, errno.EOPNOTSUPP)
        self.cloud.sync()
        other = self.cloud.second_device("xattr-reader")
        self.assertEqual(os.getxattr(other.path("xattrs.txt"), "user.color"), b"blue")
        other.unmount()

    def test_unlinked_file_stays_usable_while_open(self):
        path = self.path("ephemeral")
        with open(path, "w+b") as f:
            f.write(b"x" * 100000)
            f.flush()
            os.unlink(path)
            self.assertFalse(os.path.exists(path))
            f.seek(50000)
            f.write(b"still here")
            f.seek(0)
            data = f.read()
        self.assertEqual(data[50000:50010], b"still here")
        self.assertEqual(len(data), 100000)

    def test_rename_over_noreplace_and_exchange(self):
        a, b = self.path("ren-a"), self.path("ren-b")
        for path, text in ((a, "A"), (b, "B")):
            with open(path, "w") as f:
                f.write(text)
        with self.assertRaises(OSError) as caught:
            renameat2(a, b, RENAME_NOREPLACE)
        self.assertEqual(caught.exception.errno, errno.EEXIST)
        renameat2(a, b, RENAME_EXCHANGE)
        with open(a) as f:
            self.assertEqual(f.read(), "B")
        os.rename(a, b)
        with open(b) as f:
            self.assertEqual(f.read(), "B")
        self.assertFalse(os.path.exists(a))
        os.mkdir(self.path("ren-dir"))
        open(self.path("ren-dir", "x"), "w").close()
        os.mkdir(self.path("ren-empty"))
        with self.assertRaises(OSError) as caught:
            os.rename(self.path("ren-empty"), self.path("ren-dir"))
        self.assertEqual(caught.exception.errno, errno.ENOTEMPTY)

    def test_times_modes_and_owners(self):
        path = self.path("times")
        open(path, "w").close()
        os.utime(path, ns=(1_000_000_001, 2_000_000_002))
        st = os.stat(path)
        self.assertEqual((st.st_atime_ns, st.st_mtime_ns), (1_000_000_001, 2_000_000_002))
        run(["touch", "-m", "-d", "2011-01-01 00:00:00.123456789 UTC", path])
        st = os.stat(path)
        self.assertEqual(st.st_atime_ns, 1_000_000_001, "UTIME_OMIT keeps atime")
        self.assertEqual(st.st_mtime_ns, 1293840000123456789)
        run(["touch", "-a", path])
        self.assertGreater(os.stat(path).st_atime_ns, 1_000_000_001 * 1000, "UTIME_NOW sets atime")
        os.chmod(path, 0o4711)
        os.chown(path, 4321, 8765)
        st = os.stat(path)
        self.assertEqual((st.st_mode & 0o7777, st.st_uid, st.st_gid), (0o711, 4321, 8765))

    def test_permissions_are_enforced_for_other_users(self):
        secret = self.path("secret.txt")
        public = self.path("public.txt")
        for path, mode in ((secret, 0o600), (public, 0o644)):
            with open(path, "w") as f:
                f.write("content")
            os.chmod(path, mode)
        denied = as_nobody(f"open({secret!r}).read()")
        self.assertIn("PermissionError", denied.stderr)
        allowed = as_nobody(f"print(open({public!r}).read())")
        self.assertEqual(allowed.stdout.strip(), "content", allowed.stderr)
        refused = as_nobody(f"open({self.path('by-nobody')!r}, 'w')")
        self.assertIn("PermissionError", refused.stderr)

    def test_statfs_reports_the_quota(self):
        st = os.statvfs(self.cloud.device.mountpoint)
        self.assertEqual(st.f_blocks * st.f_frsize, QUOTA)
        self.assertLessEqual(st.f_bavail * st.f_frsize, QUOTA)
        self.assertEqual(st.f_namemax, 255)

    def test_kernel_reads_ahead_a_whole_chunk(self):
        device = os.stat(self.cloud.device.mountpoint).st_dev
        with open(f"/sys/class/bdi/{os.major(device)}:{os.minor(device)}/read_ahead_kb") as f:
            self.assertEqual(int(f.read()), 1024)

    def test_errno_of_folder_operations(self):
        os.mkdir(self.path("full"))
        open(self.path("full", "f"), "w").close()
        cases = [(lambda: os.rmdir(self.path("full")), errno.ENOTEMPTY),
                 (lambda: os.unlink(self.path("full")), errno.EISDIR),
                 (lambda: os.rmdir(self.path("full", "f")), errno.ENOTDIR),
                 (lambda: os.mkdir(self.path("full")), errno.EEXIST),
                 (lambda: os.stat(self.path("absent")), errno.ENOENT),
                 (lambda: os.rename(self.path("full"), self.path("full", "inside")), errno.EINVAL)]
        for call, expected in cases:
            with self.assertRaises(OSError) as caught:
                call()
            self.assertEqual(caught.exception.errno, expected)


if __name__ == "__main__":
    unittest.main()
