#!/usr/bin/python3
"""The server benchmark (docs/performance.md, "Server"): cofferd beside nginx (WebDAV PUT) on
loopback in the same run, both driven by bench_server_load.

    COFFER_BIN_DIR=build/bin PYTHONPATH=tests/integration/lib /usr/bin/python3 bench/server/run_bench.py

Needs Debian's nginx (nginx-light is enough: it has the DAV module).

cofferd against hostile clients (issue 13: bounded bodies, held connections, a 60 s soak, each
beside nginx where that compares) is the second script, run_hostile.py in this folder; see its
docstring for its command."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from coffer_harness import CofferServer, Client, b64, bin_path, free_port

ROUNDS = 3  # each figure is the best of this many runs, cofferd and nginx taking turns
BLOBS, BLOB_SIZE, BLOB_CONNECTIONS = 64, "1M", 4
SMALL_REQUESTS, SMALL_CONNECTIONS = 20000, 8
FILES, FILE_SIZE, FILES_PER_REQUEST, BATCH_CONNECTIONS = 5000, "10K", 500, 2

NGINX_CONFIG = """
daemon off;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
{user}
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {tmp}/www;
    client_max_body_size 0;
    location /blobs/ {{ dav_methods PUT; create_full_put_path on; }}
  }}
}}
"""


def best(key, *runs):
    """Runs each argument list ROUNDS times, alternating between them; the best `key` of each."""
    results = [[] for _ in runs]
    for _ in range(ROUNDS):
        for i, args in enumerate(runs):
            results[i].append(load(*args)[key])
    return [max(values) for values in results]


def load(*args):
    result = subprocess.run([bin_path("bench_server_load")] + [str(a) for a in args], capture_output=True, text=True)
    report = json.loads(result.stdout)
    if result.returncode != 0:
        raise SystemExit(f"bench_server_load {' '.join(map(str, args))}: {report['first_failure']}")
    return report


def folder_request(root):
    """A fresh folder for each batch request (the server never opens names or records, so any
    tokens do; the harness's client adds the folder records)."""
    return {"node_id": os.urandom(16).hex(), "type": "folder", "parent_id": root, "name": b64(os.urandom(72)),
            "name_tag": os.urandom(32).hex(), "wrapped_key": b64(os.urandom(105)), "attributes": b64(os.urandom(160)),
            "attributes_revision": 1}


class Nginx:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="coffer-bench-nginx-")
        os.makedirs(os.path.join(self.tmp, "www", "blobs"))
        with open(os.path.join(self.tmp, "www", "small.json"), "w") as f:
            f.write('{"node_id": "00000000000000000000000000000000", "type": "folder", "version": 0}')
        self.port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        config = os.path.join(self.tmp, "nginx.conf")
        with open(config, "w") as f:
            f.write(NGINX_CONFIG.format(tmp=self.tmp, port=self.port, user=user))
        self.process = subprocess.Popen(["nginx", "-c", config, "-p", self.tmp], stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                if Client(self.port, timeout=1).request("GET", "/small.json")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit("nginx did not start")

    def close(self):
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    nginx = Nginx()
    try:
        with CofferServer() as server:
            server.add_user("bench", "bench password")
            client = server.login("bench", "bench password")
            root = client.get("/v1/account")[1]["root_node_id"]
            auth = ["--header", "Authorization: Bearer " + client.token]
            coffer_blobs = f"http://127.0.0.1:{server.port}/v1/blobs"
            nginx_blobs = f"http://127.0.0.1:{nginx.port}/blobs"
            blob_args = ["--count", BLOBS, "--size", BLOB_SIZE, "--connections", BLOB_CONNECTIONS]
            rows = []
            for mode in ("put", "get"):
                coffer, peer = best("mib_per_s", [mode, "--url", coffer_blobs, *blob_args, *auth],
                                    [mode, "--url", nginx_blobs, *blob_args])
                rows.append((f"blob {mode.upper()}, MiB/s", coffer, peer))
            small_args = ["--count", SMALL_REQUESTS, "--connections", SMALL_CONNECTIONS]
            coffer, peer = best("requests_per_s",
                                ["small", "--url", f"http://127.0.0.1:{server.port}/v1/nodes/{root}", *small_args, *auth],
                                ["small", "--url", f"http://127.0.0.1:{nginx.port}/small.json", *small_args])
            rows.append(("small GET, requests/s", coffer, peer))
            batch_seconds = []
            for round_number in range(ROUNDS):
                folders = [client.expect(201, "POST", "/v1/nodes", folder_request(root))["node"]["node_id"]
                           for _ in range(-(-FILES // FILES_PER_REQUEST))]
                batch_seconds.append(load("batch", "--url", f"http://127.0.0.1:{server.port}/v1/batch",
                                          "--parents", ",".join(folders), "--count", FILES, "--size", FILE_SIZE,
                                          "--per-request", FILES_PER_REQUEST, "--connections", BATCH_CONNECTIONS,
                                          "--first-index", 1000000 * (round_number + 1), *auth)["seconds"])
    finally:
        nginx.close()
    print(f"{BLOBS} blobs of {BLOB_SIZE} over {BLOB_CONNECTIONS} connections; {SMALL_REQUESTS} small GETs over "
          f"{SMALL_CONNECTIONS} connections; loopback, same machine, same run; best of {ROUNDS}\n")
    print("| measure | cofferd | nginx | cofferd / nginx |")
    print("|---|---:|---:|---:|")
    for name, coffer, peer in rows:
        print(f"| {name} | {coffer:.0f} | {peer:.0f} | {coffer / peer:.2f} |")
    seconds = min(batch_seconds)
    print(f"\nbatch route: {FILES} new files of {FILE_SIZE} ({FILES_PER_REQUEST} per request, {BATCH_CONNECTIONS} "
          f"connections) in {seconds:.2f} s = {FILES / seconds:.0f} files/s, best of {ROUNDS} "
          f"(all: {', '.join(f'{t:.2f}' for t in batch_seconds)} s; goal: under 2 s)")


if __name__ == "__main__":
    sys.exit(main())
