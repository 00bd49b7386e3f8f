"""A real cofferd, a user, and that user's folder mounted by the real `coffer` daemon.

    with MountedCloud() as cloud:            # server + user + login + mount
        path = cloud.path("notes.txt")       # a path inside the mount
        cloud.sync()                         # `coffer sync`
        other = cloud.second_device()        # the same user on a fresh profile and mount

A mount that fails raises: mount tests fail, never skip.
"""

import os
import shutil
import subprocess
import tempfile
import time

from coffer_harness import CofferServer, bin_path

PASSWORD = "correct horse battery staple"


def run(args, check=True, timeout=600, **kw):
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def eventually(test, what, condition, seconds, poll=0.02):
    """Polls `condition` (an OSError counts as not yet) until it holds, or fails `test` after
    `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            test.fail(f"{what}: not seen within {seconds} s")
        time.sleep(poll)


def server_holds(cloud, needles):
    """Which of `needles` (bytes) appear anywhere in the server's data dir: database, WAL, blobs."""
    found = set()
    for folder, _, files in os.walk(cloud.server.data_dir):
        for name in files:
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            found.update(needle for needle in needles if needle in data)
    return found


def is_mounted(path):
    with open("/proc/mounts") as mounts:
        return any(line.split()[1] == path for line in mounts)


class Device:
    """One profile (login, journal, cache) and its mount of the user's cloud."""

    def __init__(self, server, user, root, name, config_text=None):
        self.server = server
        self.user = user
        self.profile = os.path.join(root, name + "-profile")
        self.mountpoint = os.path.join(root, name + "-mnt")
        os.makedirs(self.profile, mode=0o700)
        os.makedirs(self.mountpoint)
        if config_text:
            with open(os.path.join(self.profile, "coffer.yaml"), "w") as f:
                f.write(config_text)
        self.password_file = os.path.join(root, "password")
        with open(self.password_file, "w") as f:
            f.write(PASSWORD + "\n")

    def coffer(self, *args, check=True, timeout=600):
        return run([bin_path("coffer"), "--profile", self.profile] + [str(a) for a in args], check=check,
                   timeout=timeout)

    def login(self):
        self.coffer("login", "--server", f"http://127.0.0.1:{self.server.port}", "--user", self.user,
                    "--password-file", self.password_file, "--device", os.path.basename(self.profile))
        return self

    def mount(self, *options):
        self.coffer("mount", self.mountpoint, *options)
        deadline = time.time() + 10
        while not is_mounted(self.mountpoint):
            if time.time() > deadline:
                raise AssertionError("the mount did not appear:\n" + self.log())
            time.sleep(0.05)
        os.listdir(self.mountpoint)
        return self

    def unmount(self, timeout=120):
        # Bounded, so that a test that failed with its server down does not hang the suite
        # for the default ten minutes before it reports.
        if is_mounted(self.mountpoint):
            self.coffer("unmount", "--timeout", timeout, self.mountpoint, timeout=timeout + 30)

    def sync(self, timeout=300):
        return self.coffer("sync", "--timeout", timeout, timeout=timeout + 30)

    def path(self, *parts):
        return os.path.join(self.mountpoint, *parts)

    def log(self):
        try:
            with open(os.path.join(self.profile, "coffer.log"), errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def daemon_pid(self):
        result = self.coffer("status")
        for line in result.stdout.splitlines():
            if line.startswith("Mounted:") and "pid" in line:
                return int(line.rsplit("pid", 1)[1].strip(" )"))
        raise AssertionError("no daemon runs:\n" + result.stdout)

    def force_unmount(self):
        """After the daemon was killed: detach the dead mount."""
        run(["fusermount3", "-u", "-z", self.mountpoint], check=False)


class MountedCloud:
    """cofferd with one user, logged in and mounted on a first device."""

    def __init__(self, config_text=None, server_config=None, quota=None, mount_options=()):
        self.root = tempfile.mkdtemp(prefix="coffer-mount-")
        os.chmod(self.root, 0o755)
        self.config_text = config_text
        self.quota = quota
        self.mount_options = mount_options
        self.server = CofferServer(config_text=server_config)
        self.devices = []

    def __enter__(self):
        self.server.start()
        self.server.add_user("alice", PASSWORD, quota=self.quota)
        self.device = self.new_device("first").login().mount(*self.mount_options)
        return self

    def __exit__(self, *exc):
        for device in self.devices:
            try:
                device.unmount()
            except Exception:
                device.force_unmount()
        self.server.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def new_device(self, name):
        device = Device(self.server, "alice", self.root, name, self.config_text)
        self.devices.append(device)
        return device

    def second_device(self, name="second"):
        return self.new_device(name).login().mount()

    def path(self, *parts):
        return self.device.path(*parts)

    def sync(self):
        return self.device.sync()

    def scratch(self, name):
        """A local folder outside the mount."""
        path = os.path.join(self.root, name)
        os.makedirs(path, exist_ok=True)
        return path
