"""A server that is away or does not answer, on a real cofferd and a real mount.

With cofferd stopped (SIGTERM, later started again on the same port and data folder), a warm
tree lists and reads byte-exact; files written, renamed and deleted meanwhile go to the journal
and reach a second device once the server is back, without `coffer sync`; `coffer status` says
offline, then online. With cofferd sent SIGSTOP (it keeps its connections and answers nothing),
`ls` and `cat` of cached files answer within 100 ms every time, and listing a folder never
listed fails with EHOSTDOWN within network.foreground_timeout (2 s here); after SIGCONT all
works again."""

import errno
import os
import time
import unittest

from mount_helper import MountedCloud, eventually, read, write

FOREGROUND_TIMEOUT = 2
CONFIG = f"network:\n  foreground_timeout: {FOREGROUND_TIMEOUT}s\n"
CACHED_CALL_SECONDS = 0.1


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


class OfflineTest(unittest.TestCase):
    def eventually(self, what, condition, seconds=15):
        eventually(self, what, condition, seconds)

    def status_says(self, device, text):
        return text in device.coffer("status").stdout

    def test_a_warm_tree_works_while_the_server_is_stopped_and_changes_arrive_once_it_is_back(self):
        with MountedCloud(config_text=CONFIG) as cloud:
            first = cloud.device
            expected = {
                "notes.txt": os.urandom(5000),
                os.path.join("docs", "report.bin"): os.urandom(3 << 20),
                os.path.join("docs", "small.txt"): b"small\n",
                "old-name.txt": b"renamed offline\n",
                "gone.txt": b"deleted offline\n",
            }
            os.mkdir(first.path("docs"))
            for name, data in expected.items():
                write(first.path(name), data)
            cloud.sync()
            for name, data in expected.items():  # warm: listed and read
                self.assertEqual(read(first.path(name)), data)

            cloud.server.stop()
            self.eventually("status says offline", lambda: self.status_says(first, "Network:  offline"))
            self.assertEqual(sorted(os.listdir(first.path())), ["docs", "gone.txt", "notes.txt", "old-name.txt"])
            self.assertEqual(sorted(os.listdir(first.path("docs"))), ["report.bin", "small.txt"])
            for name, data in expected.items():
                self.assertEqual(read(first.path(name)), data, name)

            write(first.path("draft.txt"), b"written offline, then renamed\n")
            os.rename(first.path("draft.txt"), first.path("final.txt"))
            os.rename(first.path("old-name.txt"), first.path("new-name.txt"))
            os.remove(first.path("gone.txt"))
            os.mkdir(first.path("made-offline"))
            write(first.path("made-offline", "inside.txt"), b"in a folder made offline\n")
            write(first.path("docs", "small.txt"), b"changed offline\n")
            status = first.coffer("status").stdout
            self.assertNotIn("Pending:  0 changes", status)
            self.assertIn("Oldest:", status)

            cloud.server.start()
            # No `coffer sync`: the daemon notices the server and sends what waits by itself.
            self.eventually("the queue drains", lambda: self.status_says(first, "Pending:  0 changes"))
            self.assertTrue(self.status_says(first, "Network:  online"))
            second = cloud.second_device()
            self.assertEqual(sorted(os.listdir(second.path())),
                             ["docs", "final.txt", "made-offline", "new-name.txt", "notes.txt"])
            self.assertEqual(read(second.path("final.txt")), b"written offline, then renamed\n")
            self.assertEqual(read(second.path("new-name.txt")), b"renamed offline\n")
            self.assertEqual(read(second.path("made-offline", "inside.txt")), b"in a folder made offline\n")
            self.assertEqual(read(second.path("docs", "small.txt")), b"changed offline\n")
            self.assertEqual(read(second.path("docs", "report.bin")), expected[os.path.join("docs", "report.bin")])

    def test_a_server_that_answers_nothing_does_not_hold_up_cached_data(self):
        with MountedCloud(config_text=CONFIG) as cloud:
            first = cloud.device
            files = {"a.txt": os.urandom(100_000), os.path.join("dir", "b.txt"): b"bee\n" * 1000}
            os.mkdir(first.path("dir"))
            for name, data in files.items():
                write(first.path(name), data)
            cloud.sync()
            other = cloud.second_device()
            os.mkdir(other.path("cold"))
            write(other.path("cold", "inside.txt"), b"listed only after the server is back\n")
            other.sync()
            self.eventually("the first mount sees the new folder", lambda: os.path.isdir(first.path("cold")))
            for name, data in files.items():
                self.assertEqual(read(first.path(name)), data)

            cloud.server.pause()
            try:
                for round_number in range(3):  # every time, not only after a first timeout
                    for folder, names in (("", ["a.txt", "cold", "dir"]), ("dir", ["b.txt"])):
                        listed, took = timed(lambda: sorted(os.listdir(first.path(folder))))
                        self.assertEqual(listed, names)
                        self.assertLess(took, CACHED_CALL_SECONDS, f"ls {folder or '.'} (round {round_number})")
                    for name, data in files.items():
                        content, took = timed(lambda: read(first.path(name)))
                        self.assertEqual(content, data)
                        self.assertLess(took, CACHED_CALL_SECONDS, f"cat {name} (round {round_number})")
                    if round_number == 1:
                        start = time.monotonic()
                        with self.assertRaises(OSError) as caught:
                            os.listdir(first.path("cold"))
                        took = time.monotonic() - start
                        self.assertEqual(caught.exception.errno, errno.EHOSTDOWN, caught.exception)
                        self.assertLess(took, FOREGROUND_TIMEOUT + 1.5)
                self.assertTrue(self.status_says(first, "Network:  offline"))
            finally:
                cloud.server.resume()
            self.assertEqual(os.listdir(first.path("cold")), ["inside.txt"])
            self.assertEqual(read(first.path("cold", "inside.txt")), b"listed only after the server is back\n")
            write(first.path("after.txt"), b"after the pause\n")
            first.sync()
            self.eventually("status says online", lambda: self.status_says(first, "Network:  online"))
            self.eventually("the other mount sees the new file", lambda: os.path.exists(other.path("after.txt")))


if __name__ == "__main__":
    unittest.main()
