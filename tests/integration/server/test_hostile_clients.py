"""A hostile network client cannot make a real cofferd (embedded defaults) spend unbounded
memory or take it away from others (issue 13, items 1 and 2):

- bodies: no body is read past its route's limit, and 32 parallel requests with the largest
  body each route takes, shaped to cost the most to parse, keep cofferd under 256 MiB
  resident while every one is answered with a 4xx;
- connections: with 500 idle and 100 one-byte-a-second connections open, normal requests
  keep a p99 under 100 ms; one address cannot hold more than its cap; headers that trickle
  in are cut off at the header deadline and bodies below the minimum rate after their grace.

It proves bounded memory and latency on loopback on this machine, not on a real network."""

import json
import os
import resource
import socket
import sys
import threading
import time

from coffer_harness import CofferServer, blob_id

MIB = 1 << 20
PEAK_GOAL = 256 * MIB
PASSWORD = "correct horse battery staple"


def peak_resident(server):
    with open(f"/proc/{server.process.pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def resident(server):
    with open(f"/proc/{server.process.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def connect(port, source="127.0.0.1", timeout=600):
    return socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0))


def read_status(sock):
    """The status of the answer on `sock`, 0 when the server closed without one."""
    answer = b""
    while b"\r\n" not in answer:
        try:
            chunk = sock.recv(4096)
        except ConnectionResetError:
            return 0
        if not chunk:
            return 0
        answer += chunk
    return int(answer.split(b" ")[1])


def send_request(port, method, path, body, token=None, content_length=None):
    """Sends one request with `body` and returns the answer's status (0: closed without one)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    if token:
        head += f"Authorization: Bearer {token}\r\n"
    head += f"Content-Length: {len(body) if content_length is None else content_length}\r\n\r\n"
    with connect(port) as sock:
        try:
            sock.sendall(head.encode() + body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered and closed before the whole body was sent
        try:
            return read_status(sock)
        except ConnectionResetError:
            return 0


def costly_json(size):
    """A JSON object of `size` bytes with as many short members as fit: the shape whose parsed
    value costs the most per byte of text."""
    members = []
    length = 2
    i = 0
    while length < size - 16:
        member = f'"{i:x}":0'
        members.append(member)
        length += len(member) + 1
        i += 1
    text = "{" + ",".join(members) + "}"
    return (text + " " * (size - len(text))).encode()


def parallel(count, call):
    results = [None] * count
    errors = []

    def run(i):
        try:
            results[i] = call(i)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def check_early_refusal(server):
    """A body past the route's limit is refused from its header: the answer comes before one
    byte of the body is sent (the 60 MiB login of the issue)."""
    head = (b"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(60 * MIB).encode() + b"\r\n\r\n")
    with connect(server.port, timeout=10) as sock:
        sock.sendall(head)
        assert read_status(sock) == 413
    print("a 60 MiB login is refused with 413 from its header alone")


def check_parallel_bodies(server, token, node_id):
    """32 parallel requests of each route's largest body, every one answered 4xx, within the
    memory goal."""
    routes = [
        ("POST", "/v1/sessions", 32 << 10, None),
        ("POST", "/v1/register", 32 << 10, None),
        ("PUT", "/v1/account/password", 32 << 10, token),
        ("POST", "/v1/nodes", 1 * MIB, token),
        ("POST", "/v1/batch", 16 * MIB, token),
        ("POST", f"/v1/nodes/{node_id}/versions", 40 * MIB, token),
    ]
    for method, path, size, auth in routes:
        body = costly_json(size)
        statuses = parallel(32, lambda i: send_request(server.port, method, path, body, auth))
        assert all(400 <= s < 500 for s in statuses), (path, statuses)
        # One byte more than the limit is refused unread.
        assert send_request(server.port, method, path, b"", auth, content_length=size + 1) == 413, path
        print(f"{method} {path}: 32 x {size >> 10} KiB answered {sorted(set(statuses))}, "
              f"peak resident {peak_resident(server) / MIB:.0f} MiB")
    blob = os.urandom(16 * MIB)
    wrong = blob_id(b"another blob")
    statuses = parallel(32, lambda i: send_request(server.port, "PUT", f"/v1/blobs/{wrong}", blob, token))
    assert all(s == 400 for s in statuses), statuses
    print(f"PUT /v1/blobs: 32 x 16 MiB with a wrong id answered 400, peak {peak_resident(server) / MIB:.0f} MiB")
    assert peak_resident(server) < PEAK_GOAL, peak_resident(server)


class Holders:
    """Connections that send nothing (idle) or one header byte a second (slow)."""

    def __init__(self, port):
        self.port = port
        self.idle = []
        self.slow = []
        self.stop = threading.Event()
        self.closed_by_server = 0
        self.reopened = 0

    def open_idle(self, count, sources):
        for i in range(count):
            self.idle.append(connect(self.port, sources[i % len(sources)]))

    def open_slow(self, count, sources):
        for i in range(count):
            self.slow.append((connect(self.port, sources[i % len(sources)]), sources[i % len(sources)]))
        threading.Thread(target=self._trickle, daemon=True).start()

    def _trickle(self):
        request = b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"y" * 10000
        sent = 0
        while not self.stop.wait(1.0):  # the workload itself: one byte a second
            for i, (sock, source) in enumerate(self.slow):
                try:
                    sock.send(request[sent:sent + 1])
                except OSError:
                    # The server cut it off (header deadline): reopen, as an attacker would.
                    self.closed_by_server += 1
                    sock.close()
                    self.slow[i] = (connect(self.port, source), source)
                    self.reopened += 1
            sent = (sent + 1) % len(request)

    def close(self):
        self.stop.set()
        for sock in self.idle:
            sock.close()
        for sock, _ in self.slow:
            sock.close()


def timed_requests(port, token, count):
    """Latencies of `count` authenticated requests, each on a fresh connection."""
    latencies = []
    for _ in range(count):
        start = time.perf_counter()
        status = send_request(port, "GET", "/v1/account", b"", token)
        latencies.append(time.perf_counter() - start)
        assert status == 200, status
    latencies.sort()
    return latencies


def check_held_connections(server, token):
    holders = Holders(server.port)
    try:
        holders.open_idle(500, [f"127.0.1.{i}" for i in range(1, 11)])
        holders.open_slow(100, ["127.0.2.1", "127.0.2.2"])
        latencies = []
        deadline = time.time() + 15  # through at least one header deadline (10 s) of the slow ones
        while time.time() < deadline:
            latencies += timed_requests(server.port, token, 20)
        latencies.sort()
        p50 = latencies[len(latencies) // 2]
        p99 = latencies[int(len(latencies) * 0.99)]
        print(f"with 500 idle and 100 slow connections: {len(latencies)} requests, p50 {p50 * 1000:.1f} ms, "
              f"p99 {p99 * 1000:.1f} ms, {holders.closed_by_server} slow ones cut off and reopened, "
              f"resident {resident(server) / MIB:.0f} MiB")
        assert p99 < 0.1, p99
        assert holders.closed_by_server > 0, "slow headers were never cut off"
        assert resident(server) < PEAK_GOAL
    finally:
        holders.close()


def check_address_cap(server):
    """64 connections per address by default: the 65th is closed at once, others still served."""
    held = [connect(server.port, "127.0.3.1") for _ in range(64)]
    try:
        for sock in held:  # each was accepted and kept: one request answered on it
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_status(sock) == 200
        with connect(server.port, "127.0.3.1", timeout=10) as extra:
            try:
                extra.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # closed already
            assert read_status(extra) == 0, "the 65th connection of one address was served"
        with connect(server.port, "127.0.3.2", timeout=10) as other:
            other.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_status(other) == 200
    finally:
        for sock in held:
            sock.close()
    print("per-address cap: the 65th connection from one address closed, another address served")


def check_deadlines():
    """Short deadlines so the cut-offs show quickly: a trickling header is closed at the header
    deadline, a body under the minimum rate after its grace, an idle keep-alive connection at
    its timeout."""
    config = ("limits:\n  header_timeout: 2s\n  request_timeout: 2s\n  keep_alive_timeout: 1s\n"
              "  body_min_rate: 64K\n")
    with CofferServer(config_text=config) as server:
        server.add_user("alice", PASSWORD)
        token = server.login("alice", PASSWORD).token

        def closed_within(sock, limit, feed=None):
            start = time.monotonic()
            sock.settimeout(0.5)
            while time.monotonic() - start < limit:
                try:
                    if feed:
                        feed(sock)
                    if sock.recv(4096) == b"":
                        return time.monotonic() - start
                except socket.timeout:
                    continue
                except (BrokenPipeError, ConnectionResetError):
                    return time.monotonic() - start
            return None

        with connect(server.port) as sock:
            sock.sendall(b"GET /v1/health HTTP/1.1\r\n")
            took = closed_within(sock, 10, lambda s: s.send(b"X"))
            assert took is not None and took < 5, took
        print(f"header trickling in: closed after {took:.1f} s (deadline 2 s)")

        with connect(server.port) as sock:
            data = os.urandom(1 * MIB)
            sock.sendall((f"PUT /v1/blobs/{blob_id(data)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                          f"Content-Length: {len(data)}\r\n\r\n").encode() + data[:1024])
            offset = [1024]

            def trickle(s):
                s.send(data[offset[0]:offset[0] + 1024])  # 2 KiB/s, far below 64 KiB/s
                offset[0] += 1024

            took = closed_within(sock, 20, trickle)
            assert took is not None and took < 8, took
        print(f"body at 2 KiB/s: closed after {took:.1f} s (grace 2 s, minimum 64 KiB/s)")
        assert server.client(token).head("/v1/blobs/" + blob_id(data))[0] == 404

        with connect(server.port) as sock:
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_status(sock) == 200
            took = closed_within(sock, 10)
            assert took is not None and took < 4, took
        print(f"idle keep-alive connection: closed after {took:.1f} s (timeout 1 s)")


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    with CofferServer() as server:
        server.add_user("alice", PASSWORD)
        client = server.login("alice", PASSWORD)
        account = client.get("/v1/account")[1]
        check_early_refusal(server)
        check_parallel_bodies(server, client.token, account["root_node_id"])
        check_held_connections(server, client.token)
        check_address_cap(server)
        assert client.get("/v1/health")[0] == 200
        assert "critical" not in server.log(), server.log()[-3000:]
    check_deadlines()
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
