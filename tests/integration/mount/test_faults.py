"""Failures on a real cofferd: a byte flipped on the server's disk reads as EIO; the server
killed during a large copy loses nothing once it is back and `coffer sync` ran; the daemon
killed after close and before upload delivers the data from its journal at the next mount;
unmount with the server down says what stays in the journal; and neither the server's data
folder nor the profile holds a name or a byte of content in the clear."""

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import time
import unittest

from mount_helper import MountedCloud, run


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def blob_files(data_dir):
    found = set()
    for root, dirs, files in os.walk(os.path.join(data_dir, "blobs")):
        dirs[:] = [d for d in dirs if d != "tmp"]
        found.update(os.path.join(root, name) for name in files)
    return found


def make_files(folder, count, size, seed):
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        with open(os.path.join(folder, f"part-{seed}-{i:03d}.bin"), "wb") as f:
            f.write(hashlib.sha256(f"{seed}-{i}".encode()).digest() * (size // 32))


def contains(root, needles):
    """The needles (bytes) found in any file below root."""
    found = set()
    for dirpath, dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                continue
            with open(path, "rb") as f:
                data = f.read()
            found.update(needle for needle in needles if needle in data)
    return found


class FaultsTest(unittest.TestCase):
    def test_a_byte_flipped_on_the_server_reads_as_eio(self):
        with MountedCloud() as cloud:
            before = blob_files(cloud.server.data_dir)
            with open(cloud.path("precious.bin"), "wb") as f:
                f.write(os.urandom(3 << 20))
            cloud.sync()
            new_blobs = [path for path in blob_files(cloud.server.data_dir) - before if os.path.getsize(path) > (512 << 10)]
            self.assertEqual(len(new_blobs), 3)
            victim = sorted(new_blobs)[0]
            with open(victim, "r+b") as f:
                f.seek(1000)
                byte = f.read(1)
                f.seek(1000)
                f.write(bytes([byte[0] ^ 0x20]))
            other = cloud.second_device("reader")
            with self.assertRaises(OSError) as caught:
                with open(other.path("precious.bin"), "rb") as f:
                    f.read()
            self.assertEqual(caught.exception.errno, errno.EIO)
            self.assertIn("tampered", other.log())

    def test_a_server_rolled_back_to_an_older_copy_reads_as_eio(self):
        with MountedCloud() as cloud:
            path = cloud.path("ledger.txt")
            with open(path, "wb") as f:
                f.write(b"balance: 100\n" * 100)
            cloud.sync()
            cloud.server.stop()
            backup = cloud.scratch("server-backup")
            shutil.rmtree(backup)
            shutil.copytree(cloud.server.data_dir, backup)
            cloud.server.start()
            with open(path, "r+b") as f:  # in place: only the file's version and revision move on
                f.write(b"balance: 999")
            cloud.sync()
            cloud.device.unmount()
            cloud.server.stop()
            shutil.rmtree(cloud.server.data_dir)
            shutil.copytree(backup, cloud.server.data_dir)
            cloud.server.start()
            cloud.device.mount()
            with self.assertRaises(OSError) as caught:
                with open(path, "rb") as f:
                    f.read()
            self.assertEqual(caught.exception.errno, errno.EIO)
            self.assertIn("rollback", cloud.device.log())

    def test_changing_one_byte_of_a_large_file_uploads_one_chunk(self):
        with MountedCloud() as cloud:
            path = cloud.path("large.bin")
            with open(path, "wb") as f:
                f.write(os.urandom(8 << 20))
            cloud.sync()
            before = blob_files(cloud.server.data_dir)
            with open(path, "r+b") as f:
                f.seek(5 << 20)
                f.write(b"!")
            cloud.sync()
            added = blob_files(cloud.server.data_dir) - before
            self.assertEqual(len(added), 1, added)
            self.assertGreater(os.path.getsize(added.pop()), 1 << 20)

    def test_writing_past_the_quota_fails_fsync_with_edquot(self):
        with MountedCloud(quota=4 << 20) as cloud:
            fd = os.open(cloud.path("too-big.bin"), os.O_WRONLY | os.O_CREAT, 0o644)
            try:
                os.write(fd, os.urandom(8 << 20))
                with self.assertRaises(OSError) as caught:
                    os.fsync(fd)
                self.assertEqual(caught.exception.errno, errno.EDQUOT)
            finally:
                os.close(fd)
            with open(cloud.path("after.txt"), "w") as f:
                f.write("the refused file does not hold the queue up\n")
                f.flush()
                os.fsync(f.fileno())
            other = cloud.second_device("quota-reader")
            with open(other.path("after.txt")) as f:
                self.assertIn("does not hold", f.read())

    def test_server_killed_during_a_large_copy(self):
        with MountedCloud() as cloud:
            source = cloud.scratch("big-source")
            make_files(source, 24, 3 << 20, "kill")
            copy = subprocess.Popen(["cp", "-a", source, cloud.path("big")])
            while not os.path.exists(cloud.path("big", "part-kill-002.bin")):
                time.sleep(0.01)
            cloud.server.kill()
            self.assertEqual(copy.wait(timeout=300), 0)
            # The copy writes to the journal, so it may end before or after the kill; what
            # must be true is that the server died with most of it still to upload.
            pending = cloud.device.coffer("status").stdout
            self.assertRegex(pending, r"Pending:  [1-9][0-9]* changes")
            cloud.server.start()
            cloud.sync()
            other = cloud.second_device("after-crash")
            for name in os.listdir(source):
                self.assertEqual(digest(other.path("big", name)), digest(os.path.join(source, name)), name)

    def test_daemon_killed_after_close_before_upload(self):
        with MountedCloud() as cloud:
            os.listdir(cloud.path())
            cloud.server.kill()
            source = cloud.scratch("journal-source")
            make_files(source, 5, 1 << 20, "journal")
            with open(os.path.join(source, "small.txt"), "w") as f:
                f.write("small file content\n")
            run(["cp", "-a", source, cloud.path("kept")])
            os.kill(cloud.device.daemon_pid(), signal.SIGKILL)
            time.sleep(0.2)
            cloud.device.coffer("unmount", cloud.device.mountpoint)  # detaches the dead mount
            self.assertFalse(os.path.ismount(cloud.device.mountpoint))
            cloud.server.start()
            cloud.device.mount()
            cloud.sync()
            other = cloud.second_device("after-daemon-crash")
            for name in os.listdir(source):
                self.assertEqual(digest(other.path("kept", name)), digest(os.path.join(source, name)), name)

    def test_unmount_with_the_server_down_keeps_the_journal_and_says_so(self):
        with MountedCloud() as cloud:
            os.listdir(cloud.path())
            cloud.server.kill()
            with open(cloud.path("later.txt"), "w") as f:
                f.write("uploaded later\n")
            result = cloud.device.coffer("unmount", cloud.device.mountpoint, "--timeout", "2")
            self.assertIn("still in the journal", result.stdout)
            status = cloud.device.coffer("status").stdout
            self.assertRegex(status, r"Pending:\s+[1-9]\d* change")
            cloud.server.start()
            cloud.device.coffer("sync")
            other = cloud.second_device("after-unmount")
            with open(other.path("later.txt")) as f:
                self.assertEqual(f.read(), "uploaded later\n")

    def test_no_name_or_content_in_the_clear_on_the_server_or_in_the_profile(self):
        with MountedCloud() as cloud:
            marker = "Zq7-unique-marker-" + os.urandom(6).hex()
            os.mkdir(cloud.path("folder-" + marker))
            with open(cloud.path("folder-" + marker, "file-" + marker + ".txt"), "w") as f:
                f.write(("content-" + marker + "\n") * 1000)
            with open(cloud.path("small-" + marker), "w") as f:
                f.write("tiny-" + marker)
            os.symlink("target-" + marker, cloud.path("link-" + marker))
            os.setxattr(cloud.path("small-" + marker), "user.note", ("xattr-" + marker).encode())
            cloud.sync()
            cloud.device.unmount()
            cloud.server.stop()
            needles = {marker.encode(), marker.encode("utf-16-le")}
            self.assertEqual(contains(cloud.server.data_dir, needles), set(), "plaintext in the server's data")
            self.assertEqual(contains(cloud.device.profile, needles), set(), "plaintext in the profile")
            cloud.server.start()


if __name__ == "__main__":
    unittest.main()
