"""`coffer sessions` and `coffer account delete` on a real cofferd: listing the account's
sessions, ending one or every other one (with the password as proof), and deleting the account
only after the user name is typed on a terminal (or --yes-delete-everything in scripts) and the
password is given; the profile's login goes with the account."""

import json
import os
import pty
import select
import shutil
import signal
import tempfile
import time
import unittest

from coffer_harness import CofferServer, bin_path
from mount_helper import PASSWORD, Device, run


def session_id_of(device):
    with open(os.path.join(device.profile, "login.json")) as f:
        return json.load(f)["session_id"]


def on_terminal(args, prompt, reply, timeout=120):
    """Runs `args` with a new pseudo-terminal as its controlling terminal and answers `reply`
    once `prompt` appears; returns (exit code, everything written to the terminal)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(args[0], args)
    output, answered = b"", False
    deadline = time.time() + timeout
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                raise AssertionError("no answer from " + " ".join(args) + ":\n" + output.decode(errors="replace"))
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the command ended and closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if not answered and prompt.encode() in output:
                os.write(fd, (reply + "\n").encode())
                answered = True
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


class AccountCliTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="coffer-account-cli-")
        self.server = CofferServer().start()
        self.server.add_user("alice", PASSWORD)
        self.wrong = os.path.join(self.root, "wrong-password")
        with open(self.wrong, "w") as f:
            f.write("not the password\n")

    def tearDown(self):
        self.server.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def device(self, name, user="alice"):
        return Device(self.server, user, self.root, name)

    def test_sessions_list_and_revoke(self):
        laptop, phone, tablet = (self.device(n).login() for n in ("laptop", "phone", "tablet"))
        lines = laptop.coffer("sessions").stdout.splitlines()
        self.assertEqual(lines[0].split(), ["SESSION", "CREATED", "LAST", "USED", "DEVICE"])
        self.assertEqual(len(lines), 4, lines)
        mine = [line for line in lines if line.startswith(session_id_of(laptop))]
        self.assertEqual(len(mine), 1, lines)
        self.assertTrue(mine[0].endswith("laptop-profile  (this profile)"), mine)
        self.assertEqual(sum("(this profile)" in line for line in lines), 1, lines)
        listed = json.loads(laptop.coffer("sessions", "--json").stdout)["sessions"]
        self.assertEqual(len(listed), 3, listed)
        self.assertEqual([s["device"] for s in listed if s["current"]], ["laptop-profile"])
        self.assertIn(session_id_of(phone), {s["session_id"] for s in listed})

        ended = laptop.coffer("sessions", "revoke", session_id_of(phone))
        self.assertEqual(ended.stdout, f"Ended session {session_id_of(phone)}.\n")
        self.assertIn("401", phone.coffer("sessions", check=False).stderr)
        again = laptop.coffer("sessions", "revoke", session_id_of(phone), check=False)
        self.assertIn("no live session", again.stderr)
        own = laptop.coffer("sessions", "revoke", session_id_of(laptop), check=False)
        self.assertIn("use `coffer logout`", own.stderr)
        for bad in ([], ["--all-others", session_id_of(tablet)], ["--password-file", laptop.password_file]):
            refused = laptop.coffer("sessions", "revoke", *bad, check=False)
            self.assertNotEqual(refused.returncode, 0, bad)
        self.assertNotEqual(laptop.coffer("sessions", "revoke", "--all-others", "--password", PASSWORD,
                                          check=False).returncode, 0)

        typo = laptop.coffer("sessions", "revoke", "--all-others", "--password-file", self.wrong, check=False)
        self.assertIn("the current password is wrong", typo.stderr)
        tablet.coffer("sessions")  # still logged in
        done = laptop.coffer("sessions", "revoke", "--all-others", "--password-file", laptop.password_file)
        self.assertEqual(done.stdout, "Ended 1 other sessions of alice; this profile stays logged in.\n")
        self.assertNotEqual(tablet.coffer("sessions", check=False).returncode, 0)
        self.assertEqual(len(laptop.coffer("sessions").stdout.splitlines()), 2)

    def test_account_delete_asks_for_the_name(self):
        self.server.add_user("bob", "bob's password")
        alice = self.device("alice").login()
        command = [bin_path("coffer"), "--profile", alice.profile, "account", "delete", "--password-file",
                   alice.password_file]
        no_tty = run(command, check=False, start_new_session=True)
        self.assertIn("no terminal to confirm on; use --yes-delete-everything", no_tty.stderr)
        code, shown = on_terminal(command, "Type the user name to confirm: ", "bob")
        self.assertEqual(code, 1, shown)
        self.assertIn("This deletes the account alice on http://127.0.0.1:", shown)
        self.assertIn("that is not alice; nothing was deleted", shown)
        alice.coffer("sessions")  # the account and the login are still there

        code, shown = on_terminal(command, "Type the user name to confirm: ", "alice")
        self.assertEqual(code, 0, shown)
        self.assertIn("Deleted the account alice on http://127.0.0.1:", shown)
        self.assertFalse(os.path.exists(os.path.join(alice.profile, "login.json")))
        self.assertIn("not logged in", alice.coffer("status", check=False).stderr)
        relogin = alice.coffer("login", "--server", f"http://127.0.0.1:{self.server.port}", "--user", "alice",
                               "--password-file", alice.password_file, check=False)
        self.assertIn("wrong user name or password", relogin.stderr)
        users = json.loads(self.server.admin("--json", "user", "list").stdout)["users"]
        self.assertEqual([u["user"] for u in users], ["bob"])

    def test_account_delete_in_a_script(self):
        alice = self.device("alice").login()
        other = self.device("other").login()
        refused = alice.coffer("account", "delete", "--yes-delete-everything", "--password-file", self.wrong,
                               check=False)
        self.assertIn("the current password is wrong", refused.stderr)
        alice.coffer("sessions")
        self.assertNotEqual(alice.coffer("account", "delete", "--yes-delete-everything", "--password", PASSWORD,
                                         check=False).returncode, 0)
        deleted = alice.coffer("account", "delete", "--yes-delete-everything", "--password-file",
                               alice.password_file)
        self.assertIn("Deleted the account alice", deleted.stdout)
        self.assertIn("not logged in", alice.coffer("sessions", check=False).stderr)
        self.assertIn("401", other.coffer("sessions", check=False).stderr)


if __name__ == "__main__":
    unittest.main()
