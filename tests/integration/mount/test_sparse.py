"""Sparse files on a real cofferd and a real mount: holes store nothing, st_blocks reports what
is stored, lseek SEEK_DATA/SEEK_HOLE follow the data, and du, `cp --sparse=always` and
`tar -S` behave as on ext4, down to a cold read on another device.

The mount uses 64 KiB chunks (the smallest `chunk_size`): a chunk is the unit of storage and of
SEEK_DATA/SEEK_HOLE, but st_blocks counts the 4 KiB blocks of each stored chunk that hold data,
as ext4 counts its blocks: 12 KiB of data inside one chunk is 12 KiB to du, on this device, on
another one and in every copy, never the chunk."""

import errno
import os
import unittest

from mount_helper import MountedCloud, run

CHUNK = 64 << 10
SIZE = 2 << 30
DATA_AT = (1 << 30) + 3 * CHUNK  # chunk-aligned, in the middle of the file
DATA = os.urandom(12 << 10)
PAGE = 4096
DATA_KIB = len(DATA) >> 10


def data_segments(path):
    """[(start, end)] of the data a file reports through SEEK_DATA/SEEK_HOLE."""
    segments = []
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        offset = 0
        while offset < size:
            try:
                start = os.lseek(fd, offset, os.SEEK_DATA)
            except OSError as e:
                if e.errno != errno.ENXIO:
                    raise
                break
            end = os.lseek(fd, start, os.SEEK_HOLE)
            segments.append((start, end))
            offset = end
    finally:
        os.close(fd)
    return segments


def content_map(path):
    """The file's size and its non-zero pages by offset, read through its data segments only:
    two files are identical exactly when their maps are equal."""
    pages = {}
    with open(path, "rb") as f:
        for start, end in data_segments(path):
            f.seek(start)
            remaining, offset = end - start, start
            while remaining > 0:
                page = f.read(min(PAGE - offset % PAGE, remaining))
                if page.strip(b"\0"):
                    pages[offset] = page
                offset += len(page)
                remaining -= len(page)
    return os.stat(path).st_size, pages


def du_kib(path):
    return int(run(["du", "-k", path]).stdout.split()[0])


class SparseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cloud = MountedCloud(config_text="chunk_size: 64K\n").__enter__()
        cls.local = cls.cloud.scratch("local")
        cls.original = cls.cloud.path("sparse.img")
        with open(cls.original, "wb") as f:
            f.truncate(SIZE)
            f.seek(DATA_AT)
            f.write(DATA)
        cls.expected = (SIZE, {DATA_AT + i: DATA[i:i + PAGE] for i in range(0, len(DATA), PAGE)})

    @classmethod
    def tearDownClass(cls):
        cls.cloud.__exit__(None, None, None)

    def assert_sparse_copy(self, path):
        self.assertEqual(content_map(path), self.expected)
        # tar and cp write the data segment whole (64 KiB, zeros included): only the 4 KiB blocks
        # that hold data count, as on ext4 after `cp --sparse=always`.
        self.assertEqual(os.stat(path).st_blocks * 512, len(DATA), "a copy must occupy its data, not the chunk")

    def test_du_reports_the_data_blocks_not_the_chunk_nor_two_gib(self):
        st = os.stat(self.original)
        self.assertEqual(st.st_size, SIZE)
        self.assertEqual(st.st_blocks * 512, len(DATA))
        self.assertEqual(du_kib(self.original), DATA_KIB)
        self.assertEqual(int(run(["du", "-k", "--apparent-size", self.original]).stdout.split()[0]), SIZE >> 10)

    def test_seek_data_and_seek_hole_follow_the_data(self):
        self.assertEqual(data_segments(self.original), [(DATA_AT, DATA_AT + CHUNK)])
        fd = os.open(self.original, os.O_RDONLY)
        try:
            self.assertEqual(os.lseek(fd, 0, os.SEEK_HOLE), 0)
            self.assertEqual(os.lseek(fd, DATA_AT + 100, os.SEEK_DATA), DATA_AT + 100)
            self.assertEqual(os.lseek(fd, DATA_AT + CHUNK, os.SEEK_HOLE), DATA_AT + CHUNK)
            for offset, whence in ((DATA_AT + CHUNK, os.SEEK_DATA), (SIZE, os.SEEK_DATA), (SIZE, os.SEEK_HOLE)):
                with self.assertRaises(OSError) as caught:
                    os.lseek(fd, offset, whence)
                self.assertEqual(caught.exception.errno, errno.ENXIO)
            self.assertEqual(os.pread(fd, len(DATA), DATA_AT), DATA)
            self.assertEqual(os.pread(fd, PAGE, DATA_AT - PAGE), bytes(PAGE))
        finally:
            os.close(fd)

    def test_holes_of_a_file_being_written_before_its_close(self):
        path = self.cloud.path("growing.img")
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            os.pwrite(fd, b"x" * 10, 5 * CHUNK + 1)
            os.ftruncate(fd, 20 * CHUNK)
            self.assertEqual(os.lseek(fd, 0, os.SEEK_DATA), 5 * CHUNK)
            self.assertEqual(os.lseek(fd, 5 * CHUNK, os.SEEK_HOLE), 6 * CHUNK)
            self.assertEqual(os.fstat(fd).st_blocks * 512, PAGE, "10 bytes written: one 4 KiB block")
        finally:
            os.close(fd)
        self.assertEqual(data_segments(path), [(5 * CHUNK, 6 * CHUNK)])
        self.assertEqual(os.stat(path).st_blocks * 512, PAGE)

    def test_data_spread_over_a_chunk_counts_its_blocks(self):
        path = self.cloud.path("spread.img")
        with open(path, "wb") as f:
            for page in (0, 5, 15):  # three 4 KiB blocks of one 64 KiB chunk, zeros between
                f.seek(page * PAGE)
                f.write(b"d" * 100)
            f.truncate(SIZE)
        self.assertEqual(os.stat(path).st_blocks * 512, 3 * PAGE)
        self.assertEqual(du_kib(path), 12)

    def test_zeros_written_become_holes_on_close(self):
        path = self.cloud.path("zeros.img")
        with open(path, "wb") as f:
            f.write(bytes(8 * CHUNK))
            f.write(b"end")
        self.assertEqual(data_segments(path), [(8 * CHUNK, 8 * CHUNK + 3)])
        self.assertEqual(os.stat(path).st_blocks * 512, PAGE, "3 bytes of data occupy a 4 KiB block, as on ext4")

    def test_cp_sparse_always_round_trip(self):
        out = os.path.join(self.local, "cp-out.img")
        run(["cp", "--sparse=always", self.original, out])
        self.assertEqual(content_map(out), self.expected)
        self.assertLess(du_kib(out), 64, "the local copy must stay sparse")
        back = self.cloud.path("cp-back.img")
        run(["cp", "--sparse=always", out, back])
        self.assert_sparse_copy(back)

    def test_tar_sparse_round_trip(self):
        archive = os.path.join(self.local, "sparse.tar")
        run(["tar", "-S", "-cf", archive, "-C", self.cloud.path(), "sparse.img"])
        self.assertLess(os.path.getsize(archive), 1 << 20, "tar -S must archive the holes as holes")
        into_mount = self.cloud.path("untarred")
        os.mkdir(into_mount)
        run(["tar", "-S", "-xf", archive, "-C", into_mount])
        self.assert_sparse_copy(os.path.join(into_mount, "sparse.img"))
        into_local = os.path.join(self.local, "untarred")
        os.mkdir(into_local)
        run(["tar", "-S", "-xf", archive, "-C", into_local])
        self.assertEqual(content_map(os.path.join(into_local, "sparse.img")), self.expected)

    def test_cold_read_on_another_device_after_upload(self):
        self.cloud.sync()
        other = self.cloud.second_device("cold")
        path = other.path("sparse.img")
        self.assertEqual(content_map(path), self.expected)
        self.assertEqual(os.stat(path).st_blocks * 512, len(DATA))
        self.assertEqual(du_kib(path), DATA_KIB)
        with open(path, "rb") as f:
            f.seek(DATA_AT)
            self.assertEqual(f.read(len(DATA)), DATA)
        other.unmount()

    def test_the_server_stores_nothing_for_the_holes(self):
        self.cloud.sync()
        stored = 0
        for folder, _, files in os.walk(self.cloud.server.data_dir):
            stored += sum(os.path.getsize(os.path.join(folder, name)) for name in files)
        # Several 2 GiB files live in this cloud; their holes would weigh gigabytes.
        self.assertLess(stored, 32 << 20)

if __name__ == "__main__":
    unittest.main(verbosity=2)
