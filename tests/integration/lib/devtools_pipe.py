"""Chromium's DevTools protocol over --remote-debugging-pipe, for the tests and benchmarks that
drive Debian's Chromium without playwright (web_model's browser check, bench/dashboard's bare
pipe): only the commands the caller sends, no Network domain."""

import json
import os
import select
import subprocess
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
