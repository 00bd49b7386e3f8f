"""A restarted daemon serves its tree from the persistent metadata cache (issue 14, item 5): a
folder of 5,000 files is listed after a remount without a listing request for it, and a change
another device made while this one was unmounted is seen, caught up from the change feed's
cursor. The requests are counted by a proxy between the client and cofferd, so every request
the server receives is seen, by method and path."""

import http.client
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import unittest

from mount_helper import MountedCloud

FILES = 5000


class CountingProxy:
    """Forwards HTTP/1.1 to cofferd on 127.0.0.1 and records each request's method and path."""

    def __init__(self, upstream_port):
        self.requests = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().split(b";")[0], 16)
                        chunk = self.rfile.read(size)
                        self.rfile.readline()
                        if size == 0:
                            return data
                        data += chunk
                length = int(self.headers.get("Content-Length", 0))
                return self.rfile.read(length) if length else None

            def forward(self):
                body = self.body()
                with proxy.lock:
                    proxy.requests.append((self.command, self.path))
                if not hasattr(self, "upstream"):
                    self.upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=120)
                skip = {"host", "connection", "expect", "transfer-encoding", "content-length"}
                headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
                self.upstream.request(self.command, self.path, body=body, headers=headers)
                response = self.upstream.getresponse()
                data = response.read()
                self.send_response_only(response.status, response.reason)
                for key, value in response.getheaders():
                    if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(key, value)
                length = response.getheader("Content-Length") if self.command == "HEAD" else str(len(data))
                self.send_header("Content-Length", length or "0")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = forward

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                # An unmount ends the daemon's long poll of the feed before cofferd answers it.
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def take(self):
        """The requests recorded since the last call."""
        with self.lock:
            taken, self.requests = self.requests, []
        return taken

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def listed_folders(requests):
    """The folder ids of GET /v1/nodes/ID/entries requests."""
    return [path.split("/")[3] for method, path in requests
            if method == "GET" and path.startswith("/v1/nodes/") and path.split("?")[0].endswith("/entries")]


class MetadataCacheTest(unittest.TestCase):
    def test_remount_lists_a_big_folder_from_the_cache_and_catches_up(self):
        with MountedCloud() as cloud:
            proxy = CountingProxy(cloud.server.port)
            self.addCleanup(proxy.close)
            laptop = cloud.new_device("laptop")
            laptop.coffer("login", "--server", proxy.url, "--user", laptop.user,
                          "--password-file", laptop.password_file, "--device", "laptop")
            laptop.mount()
            with open(os.path.join(laptop.profile, "login.json")) as f:
                root_id = json.load(f)["root_node_id"]

            big = laptop.path("big")
            os.mkdir(big)
            for i in range(FILES):
                with open(os.path.join(big, f"file-{i:05d}"), "w") as f:
                    f.write(str(i))
            with open(laptop.path("shared.txt"), "w") as f:
                f.write("from the laptop")
            laptop.sync()
            laptop.unmount()

            # While the laptop is away, the other device changes the root folder (once its mount,
            # following the feed, shows the laptop's file).
            desktop = cloud.device
            deadline = time.monotonic() + 30
            while not os.path.exists(desktop.path("shared.txt")):
                self.assertLess(time.monotonic(), deadline, "the desktop never saw shared.txt")
                time.sleep(0.05)
            with open(desktop.path("shared.txt"), "w") as f:
                f.write("edited on the desktop")
            with open(desktop.path("desktop-note.txt"), "w") as f:
                f.write("written while the laptop was unmounted")
            desktop.sync()

            proxy.take()
            laptop.mount()
            listing = subprocess.run(["ls", "-l", big], capture_output=True, text=True, check=True).stdout
            requests = proxy.take()

            lines = [line for line in listing.splitlines() if line.startswith("-")]
            self.assertEqual(len(lines), FILES)
            self.assertIn("file-04999", listing)
            self.assertEqual(os.stat(os.path.join(big, "file-04999")).st_size, 4)
            # The catch-up named the root (the desktop's changes), so it alone is listed again.
            self.assertEqual(set(listed_folders(requests)), {root_id}, requests)
            self.assertLess(len(requests), 50, requests)

            # The desktop's changes are there, read through the refreshed root.
            self.assertIn("desktop-note.txt", os.listdir(laptop.path()))
            with open(laptop.path("shared.txt")) as f:
                self.assertEqual(f.read(), "edited on the desktop")
            with open(os.path.join(big, "file-01234")) as f:
                self.assertEqual(f.read(), "1234")
            self.assertNotIn("metadata cache: not used", laptop.log())
            laptop.unmount()

    def test_logout_removes_the_cache(self):
        with MountedCloud() as cloud:
            device = cloud.device
            os.mkdir(device.path("folder"))
            device.sync()
            device.unmount()
            cache = os.path.join(device.profile, "metadata.db")
            self.assertTrue(os.path.exists(cache))
            device.coffer("logout")
            self.assertFalse(os.path.exists(cache))


if __name__ == "__main__":
    unittest.main()
