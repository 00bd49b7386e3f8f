"""Special files in the mount on a real cofferd: FIFOs between two processes, character and block
device nodes with their numbers, Unix sockets bound in the mount, hard links to them, and
rsync -a and tar round trips of trees that hold them; then the same after an unmount and a
mount, and on a fresh device (the state from the server, not a cache)."""

import hashlib
import os
import socket
import stat
import subprocess
import sys
import unittest

from mount_helper import MountedCloud, run
from tree_helper import differences

NULL = os.makedev(1, 3)
LOOP = os.makedev(7, 200)
TIME_NS = (1_500_000_000_123_456_789, 1_400_000_000_987_654_321)


def make_special_tree(root, with_socket):
    """A FIFO and its hard link, a character and a block device (one owned by someone else),
    a file and a folder; a Unix socket when asked (tar skips sockets)."""
    os.makedirs(os.path.join(root, "dev"))
    os.mkfifo(os.path.join(root, "pipe"), 0o640)
    os.link(os.path.join(root, "pipe"), os.path.join(root, "dev", "pipe-link"))
    os.mknod(os.path.join(root, "dev", "null"), stat.S_IFCHR | 0o666, NULL)
    os.mknod(os.path.join(root, "dev", "loop200"), stat.S_IFBLK | 0o660, LOOP)
    os.chown(os.path.join(root, "dev", "loop200"), 1234, 6)
    with open(os.path.join(root, "file.txt"), "w") as f:
        f.write("beside the special files\n")
    if with_socket:
        bound = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        bound.bind(os.path.join(root, "dev", "socket"))
        bound.close()
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames + dirnames:
            os.utime(os.path.join(dirpath, name), ns=TIME_NS, follow_symlinks=False)


def special_snapshot(root, with_rdev=True):
    """{relative path: (st_mode, uid, gid, nlink, rdev, size of files, mtime ns)} for the tree."""
    result = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            nlink = None if stat.S_ISDIR(st.st_mode) else st.st_nlink
            rdev = st.st_rdev if with_rdev else None
            size = st.st_size if stat.S_ISREG(st.st_mode) else None
            result[os.path.relpath(path, root)] = (st.st_mode, st.st_uid, st.st_gid, nlink, rdev, size, st.st_mtime_ns)
    return result


READER = """
import hashlib, sys
with open(sys.argv[1], "rb") as f:
    data = f.read()
print(len(data), hashlib.sha256(data).hexdigest())
"""


def pass_through_fifo(path, payload):
    """A reader and a writer process meet at the FIFO; True when the reader got the payload."""
    reader = subprocess.Popen([sys.executable, "-c", READER, path], stdout=subprocess.PIPE, text=True)
    writer = [sys.executable, "-c", f"import sys\nwith open({path!r}, 'wb') as f:\n    f.write(sys.stdin.buffer.read())"]
    subprocess.run(writer, input=payload, check=True, timeout=60)
    received, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0, reader.returncode
    return received.split() == [str(len(payload)), hashlib.sha256(payload).hexdigest()]


CLIENT = """
import socket, sys
client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
client.connect(sys.argv[1])
client.sendall(b"ping from the client")
client.shutdown(socket.SHUT_WR)
print(client.makefile("rb").read().decode(), end="")
"""


class SpecialFilesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cloud = MountedCloud().__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.cloud.__exit__(None, None, None)

    def path(self, *parts):
        return self.cloud.path(*parts)

    def test_fifo_passes_bytes_between_two_processes(self):
        fifo = self.path("fifo")
        os.mkfifo(fifo, 0o600)
        st = os.lstat(fifo)
        self.assertTrue(stat.S_ISFIFO(st.st_mode))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        self.assertEqual(st.st_size, 0)
        payload = os.urandom(300_000)  # more than a pipe holds: the two must take turns
        self.assertTrue(pass_through_fifo(fifo, payload))

    def test_device_nodes_keep_their_numbers(self):
        os.mknod(self.path("null"), stat.S_IFCHR | 0o666, NULL)
        os.mknod(self.path("loop"), stat.S_IFBLK | 0o600, LOOP)
        null, loop = os.lstat(self.path("null")), os.lstat(self.path("loop"))
        umask = os.umask(0)
        os.umask(umask)
        self.assertEqual((stat.S_IFMT(null.st_mode), stat.S_IMODE(null.st_mode), null.st_rdev),
                         (stat.S_IFCHR, 0o666 & ~umask, NULL))
        self.assertEqual((stat.S_IFMT(loop.st_mode), stat.S_IMODE(loop.st_mode), loop.st_rdev),
                         (stat.S_IFBLK, 0o600, LOOP))
        with self.assertRaises(FileExistsError):
            os.mknod(self.path("null"), stat.S_IFCHR | 0o666, NULL)

    def test_unix_socket_bound_in_the_mount(self):
        path = self.path("listener")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(server.close)
        server.bind(path)
        server.listen(1)
        self.assertTrue(stat.S_ISSOCK(os.lstat(path).st_mode))
        client = subprocess.Popen([sys.executable, "-c", CLIENT, path], stdout=subprocess.PIPE, text=True)
        connection, _ = server.accept()
        with connection, connection.makefile("rb") as received:
            self.assertEqual(received.read(), b"ping from the client")
            connection.sendall(b"pong from the server")
        answer, _ = client.communicate(timeout=60)
        self.assertEqual(client.returncode, 0)
        self.assertEqual(answer, "pong from the server")

    def test_hard_links_renames_and_unlinks(self):
        os.mkdir(self.path("links"))
        os.mkfifo(self.path("links", "a"))
        os.link(self.path("links", "a"), self.path("links", "b"))
        self.assertEqual(os.lstat(self.path("links", "a")).st_nlink, 2)
        self.assertEqual(os.lstat(self.path("links", "a")).st_ino, os.lstat(self.path("links", "b")).st_ino)
        os.rename(self.path("links", "a"), self.path("links", "c"))
        os.unlink(self.path("links", "b"))
        self.assertEqual(sorted(os.listdir(self.path("links"))), ["c"])
        self.assertEqual(os.lstat(self.path("links", "c")).st_nlink, 1)
        payload = b"still a FIFO after link, rename and unlink"
        self.assertTrue(pass_through_fifo(self.path("links", "c"), payload))

    def test_rsync_a_in_and_out(self):
        source = os.path.join(self.cloud.scratch("rsync-source"), "tree")
        make_special_tree(source, with_socket=True)
        inside = self.path("rsync-tree")
        run(["rsync", "-aH", source + "/", inside + "/"])
        self.assertEqual(differences(special_snapshot(source), special_snapshot(inside)), [])
        again = run(["rsync", "-aH", "--itemize-changes", source + "/", inside + "/"])
        self.assertEqual(again.stdout.strip(), "", "a second rsync found changes")
        outside = self.cloud.scratch("rsync-out")
        run(["rsync", "-aH", inside + "/", outside + "/"])
        self.assertEqual(differences(special_snapshot(source), special_snapshot(outside)), [])

    def test_tar_create_and_extract(self):
        # GNU tar archives a FIFO's or device's second name as a node of its own, not as a hard
        # link, so the reference is the same archive extracted on the local disk.
        source = os.path.join(self.cloud.scratch("tar-source"), "tree")
        make_special_tree(source, with_socket=False)
        archive = self.path("specials.tar")
        run(["tar", "--format=posix", "-C", source, "-cf", archive, "."])
        local = self.cloud.scratch("tar-local")
        run(["tar", "-C", local, "-xpf", archive])
        inside = self.path("tar-tree")
        os.mkdir(inside)
        run(["tar", "-C", inside, "-xpf", archive])
        self.assertEqual(differences(special_snapshot(local), special_snapshot(inside)), [])
        self.assertTrue(stat.S_ISBLK(os.lstat(os.path.join(inside, "dev", "loop200")).st_mode))
        out_archive = os.path.join(self.cloud.scratch("tar-out"), "out.tar")
        run(["tar", "--format=posix", "-C", inside, "-cf", out_archive, "."])
        outside = self.cloud.scratch("tar-extracted")
        run(["tar", "-C", outside, "-xpf", out_archive])
        self.assertEqual(differences(special_snapshot(local), special_snapshot(outside)), [])


class SpecialFilesFromTheServerTest(unittest.TestCase):
    """A tree of special files copied in, then read back after the mount was unmounted and
    mounted again, and on a fresh profile's mount (whose listings and records can only come
    from the server)."""

    @classmethod
    def setUpClass(cls):
        cls.cloud = MountedCloud().__enter__()
        cls.source = os.path.join(cls.cloud.scratch("source"), "tree")
        make_special_tree(cls.source, with_socket=True)
        run(["rsync", "-aH", cls.source + "/", cls.cloud.path("tree") + "/"])
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(cls.cloud.path("live.sock"))
        listener.close()
        cls.cloud.device.unmount()
        cls.devices = [cls.cloud.device.mount(), cls.cloud.second_device("reader")]

    @classmethod
    def tearDownClass(cls):
        cls.cloud.__exit__(None, None, None)

    def test_types_modes_owners_times_and_links(self):
        for device in self.devices:
            with self.subTest(device=device.mountpoint):
                self.assertEqual(differences(special_snapshot(self.source, with_rdev=False),
                                             special_snapshot(device.path("tree"), with_rdev=False)), [])

    def test_device_numbers(self):
        # Needs rdev in the sealed attribute record's encoding (shared/crypto/attributes_codec.cpp).
        for device in self.devices:
            with self.subTest(device=device.mountpoint):
                self.assertEqual(differences(special_snapshot(self.source), special_snapshot(device.path("tree"))), [])

    def test_fifo_still_passes_bytes(self):
        payload = b"through a FIFO read back from the server"
        for device in self.devices:
            with self.subTest(device=device.mountpoint):
                self.assertTrue(pass_through_fifo(device.path("tree", "pipe"), payload))

    def test_socket_without_its_listener_refuses_connections(self):
        for device in self.devices:
            with self.subTest(device=device.mountpoint):
                path = device.path("live.sock")
                self.assertTrue(stat.S_ISSOCK(os.lstat(path).st_mode))
                client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.addCleanup(client.close)
                with self.assertRaises(ConnectionRefusedError):
                    client.connect(path)


if __name__ == "__main__":
    unittest.main()
