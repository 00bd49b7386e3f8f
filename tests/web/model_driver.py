"""web_model: the dashboard's model (web/js/model) under Node against a real cofferd and a
real FUSE mount of the C++ client (docs/web.md, "The model").

Starts cofferd on a free port with a temporary data directory, makes alice and bob with
coffer-admin, logs alice in and mounts her cloud with `coffer`, then runs
`node --test tests/web/model_test.mjs` (and the files named on the command line instead, if
any) with the server's URL, the mount, the profile and the data directory in the environment,
then Debian's Chromium (headless) on model_browser_check.html, which cofferd serves from a copy
of web/ (config key web_root): the same model on the browser's fetch, WebCrypto and streams.
The mount and the server are torn down whatever the tests did.

Run by CTest (COFFER_BIN_DIR set); by hand:
  COFFER_BIN_DIR=build/bin PYTHONPATH=tests/integration/lib:tests/integration/mount \
    /usr/bin/python3 tests/web/model_driver.py
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "integration", "lib"), os.path.join(HERE, "..", "integration", "mount")]

from coffer_harness import CofferServer, bin_path  # noqa: E402
from mount_helper import PASSWORD, Device  # noqa: E402
from devtools_pipe import DevTools  # noqa: E402


def browser_root(root):
    """A copy of web/ (the module and what it imports) whose index.html is the model's check page."""
    web = os.path.join(HERE, "..", "..", "web")
    target = os.path.join(root, "webroot")
    shutil.copytree(os.path.join(web, "js"), os.path.join(target, "js"))
    shutil.copytree(os.path.join(web, "vendor"), os.path.join(target, "vendor"))
    shutil.copy(os.path.join(HERE, "model_browser_check.js"), os.path.join(target, "js", "model_browser_check.js"))
    shutil.copy(os.path.join(HERE, "model_browser_check.html"), os.path.join(target, "index.html"))
    return target


def browser_check(port, seconds=240):
    """Chromium (Debian's, headless) loads the check page and runs the model; the page's #out
    says PASS, or FAIL and the error."""
    chromium = shutil.which("chromium")
    if not chromium:
        print("web_model: chromium is not installed (run packaging/install-deps.sh)", file=sys.stderr)
        return 1
    profile = tempfile.mkdtemp(prefix="coffer-web-model-chromium-")
    url = f"http://127.0.0.1:{port}/#" + urllib.parse.quote(PASSWORD)
    browser = DevTools([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        f"--user-data-dir={profile}", "--remote-debugging-pipe", url])
    verdict = "RUNNING"
    try:
        deadline = time.monotonic() + seconds
        while verdict == "RUNNING" and time.monotonic() < deadline:
            pages = [t for t in browser.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
            if pages:
                session = browser.call("Target.attachToTarget", {"targetId": pages[0]["targetId"], "flatten": True})["sessionId"]
                expression = "(document.getElementById('out') || {}).textContent || 'RUNNING'"
                while verdict == "RUNNING" and time.monotonic() < deadline:
                    verdict = browser.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                                           session=session)["result"].get("value", "RUNNING")
                    if verdict == "RUNNING":
                        time.sleep(0.2)
            else:
                time.sleep(0.2)
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"# chromium: {verdict}")
    return 0 if verdict == "PASS" else 1


def main():
    files = sys.argv[1:] or ["model_test.mjs"]
    node = shutil.which("node")
    if not node:
        print("web_model: node is not installed (run packaging/install-deps.sh)", file=sys.stderr)
        return 1
    root = tempfile.mkdtemp(prefix="coffer-web-model-")
    os.chmod(root, 0o755)
    server = CofferServer(config_text=f"web_root: {browser_root(root)}\n")
    device = None
    try:
        server.start()
        server.add_user("alice", PASSWORD)
        server.add_user("bob", PASSWORD)
        device = Device(server, "alice", root, "alice").login().mount()
        env = dict(os.environ,
                   COFFER_URL=f"http://127.0.0.1:{server.port}",
                   COFFER_PASSWORD=PASSWORD,
                   COFFER_MOUNT=device.mountpoint,
                   COFFER_PROFILE=device.profile,
                   COFFER_DATA=server.data_dir,
                   COFFER_COFFER=bin_path("coffer"))
        result = subprocess.run([node, "--test"] + [os.path.join(HERE, f) for f in files], env=env, timeout=1200)
        refused = [line for line in device.log().splitlines() if "refused tampered data" in line]
        if refused:
            # Nothing the tests do is visible to the mount as tampering: what the model wrote
            # must open in the C++ client.
            print("web_model: the mount refused what the model wrote:\n" + "\n".join(refused), file=sys.stderr)
            return 1
        if result.returncode == 0 and not sys.argv[1:]:
            result.returncode = browser_check(server.port)
        if result.returncode != 0:
            print("---- coffer.log (alice's mount) ----\n" + device.log()[-6000:], file=sys.stderr)
            print("---- cofferd log ----\n" + server.log()[-6000:], file=sys.stderr)
        return result.returncode
    finally:
        if device:
            try:
                device.unmount()
            except Exception:
                device.force_unmount()
        server.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
