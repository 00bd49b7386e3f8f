"""Two devices of one user change one folder on a real cofferd: the device whose knowledge of the
folder is stale is refused (409 on the folder's revision), lists the folder again, re-seals its
change on the current state, and both changes stay. Proves the folder records serialize
concurrent writers without losing either; it says nothing of edits to one file (conflicted
copies are another issue's)."""

import os
import unittest

from mount_helper import MountedCloud


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


class TwoDevicesTest(unittest.TestCase):
    def test_both_devices_changes_to_one_folder_stay(self):
        with MountedCloud() as cloud:
            first = cloud.device
            os.mkdir(first.path("shared"))
            first.sync()
            second = cloud.second_device()
            write(second.path("shared", "warm-up.txt"), b"second knows the folder now")
            second.sync()
            write(first.path("shared", "from-first.txt"), b"first")
            first.sync()  # the folder moves on; second does not know
            write(second.path("shared", "from-second.txt"), b"second")
            os.rename(second.path("shared", "warm-up.txt"), second.path("shared", "renamed.txt"))
            second.sync()
            third = cloud.second_device("third")
            self.assertEqual(sorted(os.listdir(third.path("shared"))),
                             ["from-first.txt", "from-second.txt", "renamed.txt"])
            with open(third.path("shared", "from-second.txt"), "rb") as f:
                self.assertEqual(f.read(), b"second")
            self.assertNotIn("refused tampered data", second.log() + third.log())


if __name__ == "__main__":
    unittest.main()
