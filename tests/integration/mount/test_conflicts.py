"""Conflicts are kept as copies: two profiles of one user mount one real cofferd. Each device
writes while the other's change has not reached it: the second device holds the file open, so
its mount keeps the version it opened (close-to-open) until it saves. Then: simultaneous edits
give exactly one conflicted copy and lose neither text, on both mounts; an edit of a file
deleted on the other device brings the file back; a delete of a file the other device edited
meanwhile leaves it; a folder renamed on one device while files are added to it on the other
ends with every file present."""

import os
import unittest

from mount_helper import MountedCloud, eventually, read, write

SEEN_SECONDS = 10.0


def copies(names):
    return [n for n in names if n.startswith("notes (conflicted copy second-profile ") and n.endswith(").txt")]


class ConflictsTest(unittest.TestCase):
    def eventually(self, what, condition):
        eventually(self, what, condition, SEEN_SECONDS)

    def test_simultaneous_edits_give_one_conflicted_copy_on_both_mounts(self):
        with MountedCloud() as cloud:
            first = cloud.device
            write(first.path("notes.txt"), b"first version\n")
            first.sync()
            second = cloud.second_device()
            with open(second.path("notes.txt"), "r+b") as held:  # the second device edits version 1
                self.assertEqual(held.read(), b"first version\n")
                write(first.path("notes.txt"), b"the first device's text\n")
                first.sync()
                held.seek(0)
                held.truncate()
                held.write(b"the second device's text\n")
            second.sync()

            for device in (first, second):
                self.eventually(f"the copy on {device.mountpoint}",
                                lambda: len(copies(os.listdir(device.path()))) == 1)
                names = os.listdir(device.path())
                self.assertEqual(len(names), 2, names)
                self.assertEqual(read(device.path("notes.txt")), b"the first device's text\n")
                self.assertEqual(read(device.path(copies(names)[0])), b"the second device's text\n")
            status = second.coffer("status").stdout
            self.assertIn("Conflicts: 1 local edit", status)
            self.assertIn(copies(os.listdir(second.path()))[0], status)
            self.assertIn("conflict", second.log())
            # Without the daemon, `coffer status` reads the same from the journal.
            second.unmount()
            self.assertIn("Conflicts: 1 local edit", second.coffer("status").stdout)

    def test_an_edit_of_a_file_deleted_on_the_other_device_is_kept(self):
        with MountedCloud() as cloud:
            first = cloud.device
            write(first.path("notes.txt"), b"first version\n")
            first.sync()
            second = cloud.second_device()
            with open(second.path("notes.txt"), "r+b") as held:
                held.read()
                os.remove(first.path("notes.txt"))
                first.sync()
                held.seek(0)
                held.truncate()
                held.write(b"edited while deleted\n")
            second.sync()
            for device in (first, second):
                self.eventually(f"the file back on {device.mountpoint}",
                                lambda: read(device.path("notes.txt")) == b"edited while deleted\n")
                self.assertEqual(os.listdir(device.path()), ["notes.txt"])

    def test_a_delete_of_a_file_edited_on_the_other_device_leaves_it(self):
        with MountedCloud() as cloud:
            first = cloud.device
            write(first.path("notes.txt"), b"first version\n")
            first.sync()
            second = cloud.second_device()
            with open(second.path("notes.txt"), "rb") as held:  # the second device saw version 1
                self.assertEqual(held.read(), b"first version\n")
                write(first.path("notes.txt"), b"edited on the first device\n")
                first.sync()
                os.remove(second.path("notes.txt"))
            second.sync()
            for device in (first, second):
                self.eventually(f"the file kept on {device.mountpoint}",
                                lambda: read(device.path("notes.txt")) == b"edited on the first device\n")
                self.assertEqual(os.listdir(device.path()), ["notes.txt"])

    def test_a_folder_renamed_while_files_are_added_to_it_keeps_every_file(self):
        with MountedCloud() as cloud:
            first = cloud.device
            os.mkdir(first.path("proj"))
            write(first.path("proj", "old.txt"), b"old")
            first.sync()
            second = cloud.second_device()
            folder = os.open(second.path("proj"), os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.rename(first.path("proj"), first.path("project"))
                first.sync()
                for i in range(5):
                    fd = os.open(f"new{i}.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder)
                    os.write(fd, b"new %d" % i)
                    os.close(fd)
            finally:
                os.close(folder)
            second.sync()
            expected = ["new0.txt", "new1.txt", "new2.txt", "new3.txt", "new4.txt", "old.txt"]
            for device in (first, second):
                self.eventually(f"every file on {device.mountpoint}",
                                lambda: sorted(os.listdir(device.path("project"))) == expected)
                self.assertEqual(os.listdir(device.path()), ["project"])
                self.assertEqual(read(device.path("project", "new3.txt")), b"new 3")


if __name__ == "__main__":
    unittest.main()
