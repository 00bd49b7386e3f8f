"""Chromium's DevTools protocol over --remote-debugging-pipe, for the tests and benchmarks that
drive Debian's Chromium without playwright (web_model's browser check, bench/dashboard's bare
pipe and floor): only the commands the caller sends, no Network domain."""

import json
import os
import select
import shutil
import subprocess
import tempfile
import time


class DevTools:
    """Chromium started with `args` (which hold --remote-debugging-pipe), spoken to on fd 3 in
    and fd 4 out, messages ended by NUL. `call` waits for its answer up to `timeout` seconds
    (`default_timeout` unless given)."""

    def __init__(self, args, default_timeout=60):
        to_chromium, self.command_fd = os.pipe()
        self.reply_fd, from_chromium = os.pipe()
        shell = f'exec "$@" 3<&{to_chromium} 4>&{from_chromium}'
        self.process = subprocess.Popen(["/bin/sh", "-c", shell, "chromium"] + args, pass_fds=(to_chromium, from_chromium),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chromium)
        os.close(from_chromium)
        self.next_id = 0
        self.buffer = b""
        self.default_timeout = default_timeout

    def call(self, method, params=None, session=None, timeout=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.command_fd, json.dumps(message).encode() + b"\0")
        timeout = timeout or self.default_timeout
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


class HeadlessPage:
    """Debian's headless Chromium on a throwaway profile, attached to its first page
    (about:blank); `browser` is its DevTools. Closing ends Chromium and removes the profile."""

    def __init__(self, default_timeout=600):
        self.profile = tempfile.mkdtemp(prefix="coffer-chromium-")
        args = ["/usr/bin/chromium", "--headless=new", "--disable-gpu", "--no-first-run", f"--user-data-dir={self.profile}",
                "--remote-debugging-pipe", "about:blank"]
        if os.getuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox
        self.browser = DevTools(args, default_timeout=default_timeout)
        try:
            pages = []
            while not pages:
                pages = [t for t in self.browser.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
            self.session = self.browser.call("Target.attachToTarget", {"targetId": pages[0]["targetId"], "flatten": True})["sessionId"]
        except BaseException:
            self.close()
            raise

    def call(self, method, params=None, timeout=None):
        """A command to the page's session."""
        return self.browser.call(method, params, session=self.session, timeout=timeout)

    def evaluate(self, expression, user_gesture=False):
        """The value of `expression` in the page, a promise awaited; an exception is raised."""
        answer = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True,
                                                "userGesture": user_gesture})
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression[:200]}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def set_files(self, selector, paths):
        """Gives the page's file input at `selector` these files, as the picker would."""
        document = self.call("DOM.getDocument")["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": document, "selector": selector})["nodeId"]
        self.call("DOM.setFileInputFiles", {"files": paths, "nodeId": node})

    def close(self):
        self.browser.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()
