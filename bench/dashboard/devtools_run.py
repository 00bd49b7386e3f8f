"""bench/dashboard's second browser half: the same upload and download in Debian's Chromium
driven over a bare DevTools pipe (--remote-debugging-pipe) instead of playwright-core, which
enables the protocol's Network domain and copies every request body (each 1 MiB PUT) to the
driver. Only Page, DOM, Runtime and Browser commands are sent; the page's network is not
watched. Times are taken by polling the page (every 20 ms) and the download folder."""

import json
import os
import select
import shutil
import subprocess
import tempfile
import time

POLL = 0.02


class DevTools:
    """The DevTools protocol over --remote-debugging-pipe (fd 3 in, fd 4 out, NUL-ended JSON)."""

    def __init__(self, args):
        to_chromium, self.command_fd = os.pipe()
        self.reply_fd, from_chromium = os.pipe()
        shell = f'exec "$@" 3<&{to_chromium} 4>&{from_chromium}'
        self.process = subprocess.Popen(["/bin/sh", "-c", shell, "chromium"] + args, pass_fds=(to_chromium, from_chromium),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chromium)
        os.close(from_chromium)
        self.next_id = 0
        self.buffer = b""

    def call(self, method, params=None, session=None, timeout=600):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.command_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                answer = json.loads(raw)
                if answer.get("id") == self.next_id:
                    if "error" in answer:
                        raise RuntimeError(f"{method}: {answer['error']}")
                    return answer.get("result", {})
            ready, _, _ = select.select([self.reply_fd], [], [], 1)
            if ready:
                chunk = os.read(self.reply_fd, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed its DevTools pipe")
                self.buffer += chunk
        raise RuntimeError(f"{method}: no answer within {timeout} s")

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except (RuntimeError, OSError):
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.command_fd)
        os.close(self.reply_fd)


def run(url, user, password, source, scratch, timeout=3600):
    """Returns (upload seconds, download seconds, path of the downloaded file)."""
    profile = tempfile.mkdtemp(prefix="coffer-bench-chromium-")
    downloads = os.path.join(scratch, "devtools-downloads")
    os.makedirs(downloads, exist_ok=True)
    args = ["/usr/bin/chromium", "--headless=new", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
            "--remote-debugging-pipe", "about:blank"]
    if os.getuid() == 0:
        args.insert(1, "--no-sandbox")
    browser = DevTools(args)
    try:
        pages = []
        while not pages:
            pages = [t for t in browser.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
        session = browser.call("Target.attachToTarget", {"targetId": pages[0]["targetId"], "flatten": True})["sessionId"]

        def evaluate(expression):
            answer = browser.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True,
                                                       "userGesture": True}, session=session)
            if "exceptionDetails" in answer:
                raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
            return answer["result"].get("value")

        def wait_for(expression, what):
            if os.environ.get("COFFER_BENCH_VERBOSE"):
                print(f"  waiting for {what}", flush=True)
            deadline = time.monotonic() + timeout
            while not evaluate(expression):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{what}: not within {timeout} s")
                time.sleep(POLL)

        browser.call("Page.enable", session=session)
        browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": "delete window.showSaveFilePicker;"}, session=session)
        browser.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        browser.call("Page.navigate", {"url": url + "/"}, session=session)
        wait_for("!!document.getElementById('login-submit') && !document.getElementById('login-submit').disabled", "the login page")
        evaluate(f"document.getElementById('login-user').value = {json.dumps(user)};"
                 f"document.getElementById('login-password').value = {json.dumps(password)};"
                 "document.getElementById('login-form').requestSubmit(); true")
        wait_for("!!document.querySelector('#view h1') && document.querySelector('#view h1').textContent === 'My files'"
                 " && !!document.getElementById('upload-files')", "the file list")

        name = os.path.basename(source)
        node = browser.call("DOM.querySelector", {"nodeId": browser.call("DOM.getDocument", session=session)["root"]["nodeId"],
                                                  "selector": "#upload-files"}, session=session)["nodeId"]
        start = time.monotonic()
        browser.call("DOM.setFileInputFiles", {"files": [source], "nodeId": node}, session=session)
        wait_for("document.getElementById('status').textContent === 'Uploaded 1 file.'", "the upload")
        upload = time.monotonic() - start
        wait_for(f"!!document.querySelector('tr[data-name={json.dumps(name)}] button.link')", "the uploaded file listed")

        target = os.path.join(downloads, name)
        start = time.monotonic()
        evaluate(f"document.querySelector('tr[data-name={json.dumps(name)}] button.link').click(); true")
        size = os.path.getsize(source)
        deadline = time.monotonic() + timeout
        while not (os.path.exists(target) and os.path.getsize(target) == size):
            if time.monotonic() > deadline:
                raise RuntimeError("the download did not finish")
            time.sleep(POLL)
        download = time.monotonic() - start
        return upload, download, target
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
