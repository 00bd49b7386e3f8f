"""The dashboard in Debian's real Chromium (issue 18 item 6): a real cofferd serving the
working copy's web/ (--web-root), a real FUSE mount of the same account, and
dashboard_test.mjs driving the browser through playwright-core (web/package-lock.json).

Exit 77 (CTest's SKIP_RETURN_CODE) only when /usr/bin/chromium is missing; anything else that
is missing fails. Screenshots of the main pages go to $COFFER_SCREENSHOT_DIR when it is set.
"""

import os
import subprocess
import sys
import unittest

from coffer_harness import CofferServer, bin_path
from mount_helper import PASSWORD, MountedCloud

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
WEB = os.path.join(SOURCE, "web")
CHROMIUM = "/usr/bin/chromium"
QUOTA = 2 << 30  # shown against the usage in the account view


def serves_web_root():
    result = subprocess.run([bin_path("cofferd"), "--help"], capture_output=True, text=True, timeout=30)
    return "--web-root" in result.stdout


class WebServer(CofferServer):
    """cofferd serving the working copy's web/ instead of the embedded files."""

    def command(self, listen="127.0.0.1:0"):
        args = super().command(listen)
        return args + ["--web-root", WEB] if serves_web_root() else args


def ensure_playwright():
    """web/node_modules with playwright-core, installed from the lock when missing (never a
    browser download: Debian's chromium is used)."""
    if os.path.isdir(os.path.join(WEB, "node_modules", "playwright-core")):
        return
    env = dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=WEB, env=env, check=True, timeout=600)


class DashboardTest(unittest.TestCase):
    def test_dashboard_in_chromium(self):
        ensure_playwright()
        cloud = MountedCloud(quota=QUOTA)
        cloud.server = WebServer()
        with cloud:
            cloud.server.add_user("bob", PASSWORD + " for bob")
            env = dict(os.environ,
                       COFFER_USER2="bob",
                       COFFER_PASSWORD2=PASSWORD + " for bob",
                       COFFER_URL=f"http://127.0.0.1:{cloud.server.port}",
                       COFFER_USER="alice",
                       COFFER_PASSWORD=PASSWORD,
                       COFFER_MOUNT=cloud.device.mountpoint,
                       COFFER_PROFILE=cloud.device.profile,
                       COFFER_DATA=cloud.server.data_dir,
                       COFFER_COFFER=bin_path("coffer"),
                       COFFER_SCRATCH=cloud.scratch("browser"),
                       COFFER_WEB_ROOT_SERVED="1" if serves_web_root() else "0")
            result = subprocess.run(["node", os.path.join(HERE, "dashboard_test.mjs")], env=env, timeout=1500)
            self.assertEqual(result.returncode, 0, "the browser test failed:\n" + cloud.server.log()[-4000:])


if __name__ == "__main__":
    if not os.access(CHROMIUM, os.X_OK):
        print(f"SKIP: {CHROMIUM} is missing (packaging/install-deps.sh installs Debian's chromium)")
        sys.exit(77)
    unittest.main()
