"""The workloads of run_hostile.py: connections held open by a hostile peer, a mixed soak driven
by client threads, and what a server process holds (peak resident memory, CPU time) read from
/proc. Nothing here knows cofferd from nginx: the caller passes ports, paths and request kinds."""

import http.client
import multiprocessing
import os
import random
import resource
import selectors
import socket
import threading
import time

MIB = 1 << 20


# ---- what a server process holds ------------------------------------------------------------

def process_tree(pid):
    """`pid` and its descendants (nginx: the master and its workers)."""
    pids = [pid]
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    pids += process_tree(int(child))
        except FileNotFoundError:
            pass
    return pids


def _status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def peak_resident_mib(pid):
    """The sum of VmHWM (peak resident set since start or the last reset) over the process tree."""
    return sum(_status_kib(p, "VmHWM") for p in process_tree(pid)) / 1024


def resident_mib(pid):
    return sum(_status_kib(p, "VmRSS") for p in process_tree(pid)) / 1024


def reset_peak(pid):
    """Sets VmHWM back to the current resident set (Linux 4.0+: "5" to clear_refs)."""
    for p in process_tree(pid):
        with open(f"/proc/{p}/clear_refs", "w") as f:
            f.write("5")


def cpu_seconds(pid):
    """User plus system CPU time of the process tree."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid):
        with open(f"/proc/{p}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def raise_open_file_limit(wanted=8192):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, wanted)), hard))


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


# ---- connections held open by a hostile peer --------------------------------------------------

def connect(port, source="127.0.0.1", timeout=30):
    return socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0))


class Holders:
    """Idle connections (send nothing) and slow ones (one header byte a second). A connection
    the server closes is reopened at once from the same address, as an attacker would: the
    number held stays constant, and `reopened_*` count the server's cut-offs."""

    SLOW_REQUEST = b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"y" * 100000

    def __init__(self, port, idle_sources, idle_count, slow_sources=(), slow_count=0):
        self.port = port
        self.stop = threading.Event()
        self.reopened_idle = 0
        self.reopened_slow = 0
        # [socket, source] and [socket, source, bytes sent]
        self.idle = [[self._open(idle_sources[i % len(idle_sources)]), idle_sources[i % len(idle_sources)]]
                     for i in range(idle_count)]
        self.slow = [[self._open(slow_sources[i % len(slow_sources)]), slow_sources[i % len(slow_sources)], 0]
                     for i in range(slow_count)]
        self.threads = [threading.Thread(target=self._watch_idle, daemon=True),
                        threading.Thread(target=self._trickle, daemon=True)]
        for thread in self.threads:
            thread.start()

    def _open(self, source):
        sock = connect(self.port, source)
        sock.setblocking(False)
        return sock

    def _reopen(self, source):
        while True:
            try:
                return self._open(source)
            except OSError:  # refused or reset while the server is at a cap: try again
                if self.stop.wait(0.05):
                    raise

    def _watch_idle(self):
        selector = selectors.DefaultSelector()
        for held in self.idle:
            selector.register(held[0], selectors.EVENT_READ, held)
        while not self.stop.is_set():
            for key, _ in selector.select(timeout=0.2):
                held = key.data
                try:
                    if held[0].recv(4096):
                        continue  # an answer to nothing; keep holding
                except BlockingIOError:
                    continue
                except OSError:
                    pass
                selector.unregister(held[0])
                held[0].close()
                try:
                    held[0] = self._reopen(held[1])
                except OSError:
                    break  # stopping
                self.reopened_idle += 1
                selector.register(held[0], selectors.EVENT_READ, held)
        selector.close()

    def _trickle(self):
        while not self.stop.wait(1.0):  # the workload itself: one byte a second
            for held in self.slow:
                try:
                    held[0].send(self.SLOW_REQUEST[held[2]:held[2] + 1])
                    held[2] = (held[2] + 1) % len(self.SLOW_REQUEST)
                except OSError:  # cut off (header deadline): reopen
                    held[0].close()
                    try:
                        held[0], held[2] = self._reopen(held[1]), 0
                    except OSError:
                        return  # stopping
                    self.reopened_slow += 1

    def close(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()
        for held in self.idle + self.slow:
            held[0].close()


def timed_gets(port, path, headers, seconds):
    """Latencies (seconds, sorted) of GET `path`, one at a time, each on a fresh connection, for
    `seconds`; raises on any answer but 200."""
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        latencies.append(time.perf_counter() - start)
        if response.status != 200:
            raise SystemExit(f"GET {path}: {response.status}")
    latencies.sort()
    return latencies


# ---- the soak: client threads on keep-alive connections ----------------------------------------

class Soak:
    """`clients` clients, each a thread on its own keep-alive connection, run request kinds in a
    weighted random order for `seconds`. A kind is (name, weight, make) where make(state) returns
    (method, path, body, headers, expected statuses, expected body size or None, on_ok or None);
    `state` is the client's own dict (a kind keeps its folder's revision there, which on_ok(state)
    moves on after a success). Only the request and its answer are timed, not make()."""

    def __init__(self, port, kinds, clients, seconds, states):
        self.port, self.kinds, self.clients, self.seconds, self.states = port, kinds, clients, seconds, states
        self.latencies = {name: [] for name, _, _ in kinds}
        self.errors = {name: 0 for name, _, _ in kinds}
        self.first_error = None
        self.bytes = 0
        self.lock = threading.Lock()
        self.driver_cpu = 0.0

    def run(self, processes=4):
        """Runs the clients in `processes` forked processes (threads in each), so that Python's
        interpreter lock does not serialise the driver: its own CPU time is reported."""
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        groups = [range(p, self.clients, processes) for p in range(processes)]
        start = time.monotonic()
        children = [context.Process(target=self._process, args=(group, results)) for group in groups]
        for child in children:
            child.start()
        for _ in children:
            latencies, errors, moved, first_error, cpu = results.get()
            for name in latencies:
                self.latencies[name] += latencies[name]
                self.errors[name] += errors[name]
            self.bytes += moved
            self.first_error = self.first_error or first_error
            self.driver_cpu += cpu
        for child in children:
            child.join()
        self.wall = time.monotonic() - start
        return self

    def _process(self, group, results):
        threads = [threading.Thread(target=self._client, args=(i,)) for i in group]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        results.put((self.latencies, self.errors, self.bytes, self.first_error, usage.ru_utime + usage.ru_stime))

    def _client(self, index):
        rng = random.Random(index)
        order = [kind for kind in self.kinds for _ in range(kind[1])]
        state = self.states[index]
        latencies = {name: [] for name, _, _ in self.kinds}
        errors = dict.fromkeys(latencies, 0)
        moved = 0
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        deadline = time.monotonic() + self.seconds
        while time.monotonic() < deadline:
            name, _, make = rng.choice(order)
            method, path, body, headers, statuses, size, on_ok = make(state)
            start = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                ok = response.status in statuses and (size is None or len(payload) == size)
                problem = f"{method} {path}: {response.status} {payload[:200]!r}"
            except (OSError, http.client.HTTPException) as e:
                ok, problem = False, f"{method} {path}: {e!r}"
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            latencies[name].append(time.perf_counter() - start)
            if ok:
                moved += (len(body) if body else 0) + len(payload)
                if on_ok:
                    on_ok(state)
            else:
                errors[name] += 1
                with self.lock:
                    self.first_error = self.first_error or problem
        connection.close()
        with self.lock:
            for name in latencies:
                self.latencies[name] += latencies[name]
                self.errors[name] += errors[name]
            self.bytes += moved

    def summary(self):
        """{kind or "all": (requests, errors, p50 ms, p99 ms)}"""
        rows = {}
        everything = []
        for name, values in self.latencies.items():
            values.sort()
            everything += values
            rows[name] = (len(values), self.errors[name], percentile(values, 0.5) * 1000,
                          percentile(values, 0.99) * 1000)
        everything.sort()
        rows["all"] = (len(everything), sum(self.errors.values()), percentile(everything, 0.5) * 1000,
                       percentile(everything, 0.99) * 1000)
        return rows
