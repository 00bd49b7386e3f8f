#!/usr/bin/python3
"""cofferd against hostile clients (issue 13; docs/performance.md, "Issue 13: cofferd against
hostile clients"), beside nginx in the same run where a comparison means something:

- bodies: 32 parallel requests of each route's largest allowed body, shaped to cost the most to
  parse (a JSON object of many short members, from tests/integration/server/
  test_hostile_clients.py, so the bench measures the shape the test asserts on), and 32 blobs
  of 16 MiB with a wrong id: the answers (all must be 4xx), wall time and cofferd's peak
  resident memory for each route (goal: under 256 MiB);
- held: with 500 idle and 100 one-byte-a-second connections held open (10 and 2 source
  addresses 127.0.x.y, 50 per address, under the default cap of 64; a connection the server
  closes is reopened at once), the latency of normal requests, one at a time on fresh
  connections (GET /v1/account; nginx: a static file), and each server's peak memory (goal:
  p99 under 100 ms);
- soak: 20 client threads on keep-alive connections for 60 s of mixed requests (blob PUT and
  GET of 1 MiB and 4 KiB, node creates, folder listings, GET /v1/account) with 100 idle
  connections held open: errors, p50 and p99 latency per kind, throughput, peak memory and CPU;
  nginx gets the same blob requests (PUT through WebDAV, as run_bench.py) and a static file
  in place of the metadata requests.

    COFFER_BIN_DIR=build/bin PYTHONPATH=tests/integration/lib:tests/integration/server \\
        /usr/bin/python3 bench/server/run_hostile.py [bodies] [held] [soak] [--soak-seconds 60]

Without section names it runs all three. Needs Debian's nginx (nginx-light). The soak's driver
is Python: 4 forked processes of 5 client threads each, so the interpreter lock does not
serialise it; the script prints its CPU time beside the servers' so a reader sees when the
driver, on the same cores, was part of the limit. The sections reuse one cofferd (embedded
defaults, data under /tmp) and one nginx; VmHWM is reset (clear_refs) before each measure."""

import argparse
import hashlib
import json
import os
import random
import sys
import time

from coffer_harness import CofferServer, b64
from hostile_load import (MIB, Holders, Soak, cpu_seconds, peak_resident_mib, percentile, raise_open_file_limit,
                          reset_peak, resident_mib, timed_gets)
from run_bench import Nginx
from test_hostile_clients import costly_json, parallel, send_request

PARALLEL_BODIES = 32
HELD_IDLE, HELD_SLOW, HELD_SECONDS = 500, 100, 20
SOAK_CLIENTS, SOAK_IDLE = 20, 100
IDLE_SOURCES = [f"127.0.1.{i}" for i in range(1, 11)]
SLOW_SOURCES = ["127.0.2.1", "127.0.2.2"]
SOAK_IDLE_SOURCES = [f"127.0.4.{i}" for i in range(1, 5)]
BIG, SMALL = MIB, 4096
PASSWORD = "bench password"


# ---- bodies -----------------------------------------------------------------------------------

def body_routes(root):
    return [("POST", "/v1/sessions", 32 << 10, False), ("POST", "/v1/register", 32 << 10, False),
            ("PUT", "/v1/account/password", 32 << 10, True), ("POST", "/v1/nodes", MIB, True),
            ("POST", "/v1/batch", 16 * MIB, True), ("POST", f"/v1/nodes/{root}/versions", 40 * MIB, True)]


def measure_bodies(server, token, root):
    pid = server.process.pid
    cases = [(m, p, s, token if auth else None, costly_json(s)) for m, p, s, auth in body_routes(root)]
    wrong_id = hashlib.sha256(b"another blob").hexdigest()
    cases.append(("PUT", f"/v1/blobs/{wrong_id}", 16 * MIB, token, os.urandom(16 * MIB)))
    print(f"\n### Bounded bodies: {PARALLEL_BODIES} parallel requests of each route's largest body\n")
    print("| route | body | answers | all 4xx | wall, s | cofferd peak resident, MiB |")
    print("|---|---:|---|---|---:|---:|", flush=True)
    met = True
    for method, path, size, auth, body in cases:
        reset_peak(pid)
        start = time.monotonic()
        statuses = parallel(PARALLEL_BODIES, lambda i: send_request(server.port, method, path, body, auth))
        wall = time.monotonic() - start
        answers = ", ".join(f"{statuses.count(s)} x {s}" for s in sorted(set(statuses)))
        ok = all(400 <= s < 500 for s in statuses)
        peak = peak_resident_mib(pid)
        met = met and ok and peak < 256
        shown = path.replace(root, "{id}").replace(wrong_id, "{wrong id}")
        print(f"| {method} {shown} | {size // 1024} KiB | {answers} | {'yes' if ok else 'NO'} | {wall:.2f} "
              f"| {peak:.0f} |", flush=True)
    print(f"\ncofferd resident after the section: {resident_mib(pid):.0f} MiB; goal: all 4xx and every peak "
          f"under 256 MiB ({'met' if met else 'NOT met'})")


# ---- held connections ---------------------------------------------------------------------------

def measure_held(name, pid, port, path, headers):
    reset_peak(pid)
    before = resident_mib(pid)
    holders = Holders(port, IDLE_SOURCES, HELD_IDLE, SLOW_SOURCES, HELD_SLOW)
    try:
        latencies = timed_gets(port, path, headers, HELD_SECONDS)
        held_resident = resident_mib(pid)
    finally:
        holders.close()
    return (name, len(latencies), percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000,
            latencies[-1] * 1000, before, held_resident,
            peak_resident_mib(pid), holders.reopened_idle, holders.reopened_slow)


def print_held(rows):
    print(f"\n### Held connections: {HELD_IDLE} idle and {HELD_SLOW} one-byte-a-second connections, "
          f"{HELD_SECONDS} s of requests one at a time on fresh connections\n")
    print("| server | requests | p50, ms | p99, ms | max, ms | resident before / held / peak, MiB "
          "| idle cut off and reopened | slow cut off and reopened |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, count, p50, p99, worst, before, held, peak, idle, slow in rows:
        print(f"| {name} | {count} | {p50:.1f} | {p99:.1f} | {worst:.1f} | {before:.0f} / {held:.0f} / {peak:.0f} "
              f"| {idle} | {slow} |")


# ---- soak -----------------------------------------------------------------------------------------

class BlobKinds:
    """Blob requests for one server: fresh PUTs (bytes numbered per client, the same for both
    servers) and GETs from a pool uploaded beforehand."""

    def __init__(self, prefix, headers, put_ok):
        self.prefix, self.headers, self.put_ok = prefix, headers, put_ok
        self.base = {BIG: os.urandom(BIG), SMALL: os.urandom(SMALL)}
        self.pool = {BIG: [], SMALL: []}

    def fresh(self, size, state):
        state["n"] = state.get("n", 0) + 1
        data = f"{state['client']:04d}{state['n']:012d}".encode() + self.base[size][16:]
        return data, hashlib.sha256(data).hexdigest()

    def put(self, size):
        def make(state):
            data, ident = self.fresh(size, state)
            return "PUT", f"{self.prefix}/{ident}", data, self.headers, self.put_ok, None, None
        return make

    def get(self, size):
        def make(state):
            ident = state["rng"].choice(self.pool[size])
            return "GET", f"{self.prefix}/{ident}", None, self.headers, {200}, size, None
        return make

    def fill_pool(self, client_put, count):
        for size in (BIG, SMALL):
            for i in range(count):
                data, ident = self.fresh(size, {"client": 9999, "n": i})
                client_put(f"{self.prefix}/{ident}", data)
                self.pool[size].append(ident)

    def kinds(self):
        return [("blob PUT 1 MiB", 1, self.put(BIG)), ("blob GET 1 MiB", 2, self.get(BIG)),
                ("blob PUT 4 KiB", 2, self.put(SMALL)), ("blob GET 4 KiB", 3, self.get(SMALL))]


def create_file(token):
    def make(state):
        folder = state["folder"]
        body = {"node_id": os.urandom(16).hex(), "type": "file", "parent_id": folder, "name": b64(os.urandom(72)),
                "name_tag": os.urandom(32).hex(), "wrapped_key": b64(os.urandom(105)),
                "attributes": b64(os.urandom(160)), "attributes_revision": 1,
                "folders": [{"node_id": folder, "base_revision": state["revision"],
                             "revision": state["revision"] + 1, "record": b64(os.urandom(120))}]}
        headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

        def created(s):
            s["revision"] += 1
        return "POST", "/v1/nodes", json.dumps(body).encode(), headers, {201}, None, created
    return make


def coffer_kinds(token, blobs):
    auth = {"Authorization": "Bearer " + token}

    def listing(state):
        return "GET", f"/v1/nodes/{state['folder']}/entries?limit=100", None, auth, {200}, None, None

    def account(state):
        return "GET", "/v1/account", None, auth, {200}, None, None
    return blobs.kinds() + [("node create", 2, create_file(token)), ("folder listing (100)", 2, listing),
                            ("GET /v1/account", 2, account)]


def nginx_kinds(blobs):
    def static(state):
        return "GET", "/small.json", None, {}, {200}, None, None
    return blobs.kinds() + [("static file (for the metadata)", 6, static)]


def soak_states(seed, folders=None):
    return [{"client": i, "rng": random.Random(seed + i), "folder": folders[i] if folders else None, "revision": 1}
            for i in range(SOAK_CLIENTS)]


def run_soak(name, pid, port, kinds, states, seconds):
    holders = Holders(port, SOAK_IDLE_SOURCES, SOAK_IDLE)
    try:
        reset_peak(pid)
        cpu = cpu_seconds(pid)
        soak = Soak(port, kinds, SOAK_CLIENTS, seconds, states).run()
        server_cpu = cpu_seconds(pid) - cpu
    finally:
        holders.close()
    return {"name": name, "rows": soak.summary(), "wall": soak.wall, "mib": soak.bytes / MIB,
            "peak": peak_resident_mib(pid), "server_cpu": server_cpu, "driver_cpu": soak.driver_cpu,
            "reopened": holders.reopened_idle, "first_error": soak.first_error}


def prepare_soak(server, client, nginx):
    coffer_blobs = BlobKinds("/v1/blobs", {"Authorization": "Bearer " + client.token,
                                          "Content-Type": "application/octet-stream"}, {200, 201})
    coffer_blobs.fill_pool(lambda path, data: client.expect(201, "PUT", path, data,
                                                            headers={"Content-Type": "application/octet-stream"}), 16)
    nginx_blobs = BlobKinds("/blobs", {"Content-Type": "application/octet-stream"}, {201, 204})
    nginx_blobs.base = coffer_blobs.base  # the same bytes for both servers
    nginx_client = type(client)(nginx.port)
    nginx_blobs.fill_pool(lambda path, data: nginx_client.expect(201, "PUT", path, data), 16)
    root = client.get("/v1/account")[1]["root_node_id"]
    folders = [client.expect(201, "POST", "/v1/nodes", {
        "node_id": os.urandom(16).hex(), "type": "folder", "parent_id": root, "name": b64(os.urandom(72)),
        "name_tag": os.urandom(32).hex(), "wrapped_key": b64(os.urandom(105)),
        "attributes": b64(os.urandom(160)), "attributes_revision": 1})["node"]["node_id"] for _ in range(SOAK_CLIENTS)]
    return coffer_blobs, nginx_blobs, folders


def print_soak(results, seconds):
    print(f"\n### Soak: {SOAK_CLIENTS} clients on keep-alive connections for {seconds} s, "
          f"{SOAK_IDLE} idle connections held open\n")
    print("| kind | " + " | ".join(f"{r['name']} requests / errors / p50 ms / p99 ms" for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    names = [k for k in dict.fromkeys(k for r in results for k in r["rows"]) if k != "all"] + ["all"]
    for kind in names:
        cells = []
        for r in results:
            row = r["rows"].get(kind)
            cells.append(f"{row[0]} / {row[1]} / {row[2]:.1f} / {row[3]:.1f}" if row else "-")
        print(f"| {kind} | " + " | ".join(cells) + " |")
    print("\n| server | requests/s | MiB/s moved | errors | peak resident, MiB | server CPU, s | driver CPU, s "
          "| idle cut off and reopened |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        total = r["rows"]["all"]
        print(f"| {r['name']} | {total[0] / r['wall']:.0f} | {r['mib'] / r['wall']:.0f} | {total[1]} | {r['peak']:.0f} "
              f"| {r['server_cpu']:.1f} | {r['driver_cpu']:.1f} | {r['reopened']} |")
    for r in results:
        if r["first_error"]:
            print(f"\n{r['name']}: first error: {r['first_error']}")


# ---- main -----------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="*", help="bodies, held, soak (default: all three)")
    parser.add_argument("--soak-seconds", type=int, default=60)
    args = parser.parse_args()
    sections = args.sections or ["bodies", "held", "soak"]
    if set(sections) - {"bodies", "held", "soak"}:
        parser.error("sections are bodies, held and soak")
    raise_open_file_limit()
    print(f"loopback, one machine, one run; load average at start {os.getloadavg()[0]:.1f}")
    nginx = Nginx()
    try:
        with CofferServer() as server:
            server.add_user("bench", PASSWORD)
            client = server.login("bench", PASSWORD)
            root = client.get("/v1/account")[1]["root_node_id"]
            pid = server.process.pid
            print(f"cofferd resident after start and login: {resident_mib(pid):.0f} MiB")
            if "bodies" in sections:
                measure_bodies(server, client.token, root)
            if "held" in sections:
                print_held([measure_held("cofferd", pid, server.port, "/v1/account",
                                         {"Authorization": "Bearer " + client.token}),
                            measure_held("nginx", nginx.process.pid, nginx.port, "/small.json", {})])
            if "soak" in sections:
                coffer_blobs, nginx_blobs, folders = prepare_soak(server, client, nginx)
                results = [run_soak("cofferd", pid, server.port, coffer_kinds(client.token, coffer_blobs),
                                    soak_states(0, folders), args.soak_seconds),
                           run_soak("nginx", nginx.process.pid, nginx.port, nginx_kinds(nginx_blobs),
                                    soak_states(0), args.soak_seconds)]
                print_soak(results, args.soak_seconds)
            if "critical" in server.log():
                print("\ncofferd logged critical errors:\n" + server.log()[-3000:])
    finally:
        nginx.close()
    print(f"\nload average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
