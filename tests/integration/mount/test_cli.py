"""The `coffer` account and state commands on a real cofferd: login and logout, passwords
only from a file or a no-echo prompt, register with an invite (keys made on the client),
passwd, status, and HTTPS certificate pinning with a clear refusal of a changed certificate."""

import json
import os
import re
import signal
import stat
import subprocess
import tempfile
import time
import unittest

from coffer_harness import bin_path, free_port
from mount_helper import PASSWORD, Device, MountedCloud, run


def process_state(pid):
    """The state letter of a process ("Z": a zombie), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


class CliTest(unittest.TestCase):
    def test_login_status_and_logout(self):
        with MountedCloud() as cloud:
            device = cloud.device
            mode = os.stat(os.path.join(device.profile, "login.json")).st_mode
            self.assertEqual(stat.S_IMODE(mode), 0o600)
            with open(device.path("made-while-mounted.txt"), "w") as f:
                f.write("x\n")
            device.sync()
            for folder, names, files in os.walk(device.profile):  # log, state database, journal, cache
                for name in names + files:
                    mode = os.lstat(os.path.join(folder, name)).st_mode
                    self.assertEqual(stat.S_IMODE(mode) & 0o077, 0, os.path.join(folder, name))
            status = device.coffer("status").stdout
            self.assertIn("alice", status)
            self.assertIn("Mounted:  " + device.mountpoint, status)
            # --profile after the command, as git's and rclone's global options.
            after = run([bin_path("coffer"), "status", "--profile", device.profile], check=False)
            self.assertEqual(after.returncode, 0, after.stderr)
            self.assertIn("Mounted:  " + device.mountpoint, after.stdout)
            as_json = json.loads(device.coffer("status", "--json").stdout)
            self.assertEqual((as_json["user"], as_json["mounted"]), ("alice", True))
            self.assertEqual(as_json["daemon"]["mountpoint"], device.mountpoint)
            self.assertGreater(as_json["usage"]["used"], 0)
            wrong = os.path.join(cloud.root, "wrong")
            with open(wrong, "w") as f:
                f.write("not the password\n")
            refused = cloud.new_device("wrong").coffer("login", "--server", f"http://127.0.0.1:{cloud.server.port}",
                                                       "--user", "alice", "--password-file", wrong, check=False)
            self.assertNotEqual(refused.returncode, 0)
            self.assertIn("wrong user name or password", refused.stderr)
            no_argv = device.coffer("login", "--server", "http://x", "--user", "alice", "--password", PASSWORD,
                                    check=False)
            self.assertNotEqual(no_argv.returncode, 0)
            busy = device.coffer("logout", check=False)
            self.assertIn("unmount it first", busy.stderr)
            pid = int(re.search(r"\(pid (\d+)\)", status).group(1))
            device.unmount()  # returns once the daemon's process has ended, not just its socket
            self.assertIn(process_state(pid), (None, "Z"), f"the daemon ({pid}) still runs")
            device.mount()  # so a mount right after finds the profile's state database free
            device.unmount()
            synced = device.coffer("sync")  # no daemon: the command uploads itself, and prints only its answer
            self.assertEqual(synced.stdout, "Every change is on the server.\n")
            device.coffer("logout")
            gone = device.coffer("status", check=False)
            self.assertNotEqual(gone.returncode, 0)
            self.assertIn("not logged in", gone.stderr)
            self.assertFalse(os.path.exists(os.path.join(device.profile, "journal")))
            device.login().mount()  # the same profile logs in and mounts again
            with open(device.path("after-logout.txt"), "w") as f:
                f.write("fine\n")
            device.sync()

    def test_register_with_an_invite_then_mount(self):
        with MountedCloud() as cloud:
            invite = json.loads(cloud.server.admin("--json", "user", "invite", "carol").stdout)["invite"]
            device = Device(cloud.server, "carol", cloud.root, "carol")
            cloud.devices.append(device)
            registered = device.coffer("register", "--server", f"http://127.0.0.1:{cloud.server.port}", "--invite",
                                       invite, "--password-file", device.password_file)
            self.assertIn("Registered carol", registered.stdout)
            device.mount()
            with open(device.path("hello.txt"), "w") as f:
                f.write("carol's file\n")
            device.sync()
            again = device.coffer("register", "--server", f"http://127.0.0.1:{cloud.server.port}", "--invite",
                                  invite, "--password-file", device.password_file, check=False)
            self.assertNotEqual(again.returncode, 0)
            reader = Device(cloud.server, "carol", cloud.root, "carol-reader").login().mount()
            cloud.devices.append(reader)
            with open(reader.path("hello.txt")) as f:
                self.assertEqual(f.read(), "carol's file\n")

    def test_passwd_keeps_the_files(self):
        with MountedCloud() as cloud:
            with open(cloud.path("kept.txt"), "w") as f:
                f.write("still readable\n")
            cloud.sync()
            new_password = os.path.join(cloud.root, "new-password")
            with open(new_password, "w") as f:
                f.write("a brand new passphrase\n")
            cloud.device.coffer("passwd", "--password-file", cloud.device.password_file,
                                "--new-password-file", new_password)
            old = cloud.new_device("old-password")
            refused = old.coffer("login", "--server", f"http://127.0.0.1:{cloud.server.port}", "--user", "alice",
                                 "--password-file", old.password_file, check=False)
            self.assertNotEqual(refused.returncode, 0)
            fresh = cloud.new_device("new-password")
            fresh.password_file = new_password
            fresh.login().mount()
            with open(fresh.path("kept.txt")) as f:
                self.assertEqual(f.read(), "still readable\n")


class TlsServer:
    """cofferd over HTTPS with a certificate from `coffer-admin tls init`."""

    def __init__(self, root):
        self.root = root
        self.data = os.path.join(root, "data")
        self.port = free_port()
        self.process = None

    def admin(self, *args):
        return run([bin_path("coffer-admin"), "--data", self.data] + list(args)).stdout

    def new_certificate(self, name):
        output = self.admin("tls", "init", "--dir", os.path.join(self.root, name))
        fingerprint = re.search(r"SHA-256 fingerprint: ([0-9A-F:]+)", output).group(1)
        config = os.path.join(self.root, name + ".yaml")
        with open(config, "w") as f:
            f.write(f"tls:\n  certificate: {self.root}/{name}/cert.pem\n  private_key: {self.root}/{name}/key.pem\n")
        return fingerprint, config

    def start(self, config):
        log = open(os.path.join(self.root, "cofferd.log"), "a")
        self.process = subprocess.Popen([bin_path("cofferd"), "--config", config, "--data", self.data, "--listen",
                                         f"127.0.0.1:{self.port}"], stdout=log, stderr=log)
        log.close()
        deadline = time.time() + 20
        while f"https://127.0.0.1:{self.port}" not in self.log():
            if time.time() > deadline or self.process.poll() is not None:
                raise AssertionError("cofferd with TLS did not start:\n" + self.log())
            time.sleep(0.05)

    def log(self):
        with open(os.path.join(self.root, "cofferd.log"), errors="replace") as f:
            return f.read()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)


class TlsPinTest(unittest.TestCase):
    def test_first_login_pins_and_a_changed_certificate_is_refused(self):
        with tempfile.TemporaryDirectory(prefix="coffer-tls-") as root:
            server = TlsServer(root)
            first_fingerprint, first_config = server.new_certificate("first")
            password_file = os.path.join(root, "password")
            with open(password_file, "w") as f:
                f.write(PASSWORD + "\n")
            server.admin("user", "add", "alice", "--password-file", password_file)
            server.start(first_config)
            profile = os.path.join(root, "profile")
            coffer = [bin_path("coffer"), "--profile", profile]
            login = coffer + ["login", "--server", f"https://127.0.0.1:{server.port}", "--user", "alice",
                              "--password-file", password_file]
            try:
                pinned = run(login)
                self.assertIn(first_fingerprint, pinned.stdout)
                mountpoint = os.path.join(root, "mnt")
                os.mkdir(mountpoint)
                run(coffer + ["mount", mountpoint])
                with open(os.path.join(mountpoint, "over-tls.txt"), "w") as f:
                    f.write("encrypted twice\n")
                run(coffer + ["unmount", mountpoint])
                server.stop()
                second_fingerprint, second_config = server.new_certificate("second")
                server.start(second_config)
                refused = run(coffer + ["mount", mountpoint], check=False)
                self.assertNotEqual(refused.returncode, 0)
                self.assertIn("not the one pinned", refused.stderr)
                self.assertIn(second_fingerprint, refused.stderr)
                self.assertNotEqual(run(login, check=False).returncode, 0)
                typed = second_fingerprint.replace(":", "").lower()  # as a person may type it
                accepted = run(login + ["--accept-fingerprint", typed])
                self.assertIn("Logged in", accepted.stdout)
                run(coffer + ["mount", mountpoint])
                with open(os.path.join(mountpoint, "over-tls.txt")) as f:
                    self.assertEqual(f.read(), "encrypted twice\n")
                run(coffer + ["unmount", mountpoint])
            finally:
                run(["fusermount3", "-u", "-z", os.path.join(root, "mnt")], check=False)
                server.stop()


if __name__ == "__main__":
    unittest.main()
