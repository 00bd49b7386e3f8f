"""Quota as a hard limit, on a real cofferd (docs/server.md, "Quota"): refused uploads, batches
and version commits leave nothing on disk or in the database; parallel uploads near the quota
cannot pass it; `coffer status` and `coffer-admin user list` show the same usage."""

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading

from coffer_harness import CofferServer, b64, bin_path, blob_id
from server_scenario import any_b64

MiB = 1024 * 1024
PASSWORD = "quota test password"


def stored_blobs(server):
    """{path: size} of the published blob files, and the number of temp files."""
    root = os.path.join(server.data_dir, "blobs")
    files, temps = {}, 0
    for folder, _, names in os.walk(root):
        for name in names:
            if os.path.basename(folder) == "tmp":
                temps += 1
            else:
                files[os.path.join(folder, name)] = os.path.getsize(os.path.join(folder, name))
    return files, temps


def db_rows(server):
    """Row counts of the tables a refused request must not touch."""
    db = sqlite3.connect(f"file:{os.path.join(server.data_dir, 'coffer.db')}?mode=ro", uri=True)
    try:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("blobs", "user_blobs", "versions", "version_chunks", "nodes", "entries")}
    finally:
        db.close()


def db_bytes(server):
    base = os.path.join(server.data_dir, "coffer.db")
    return sum(os.path.getsize(base + suffix) for suffix in ("", "-wal") if os.path.exists(base + suffix))


def raw_put(server, token, data, chunked, piece=64 * 1024):
    """PUT /v1/blobs/ID over a raw socket, chunked or with Content-Length. The server may answer
    and close before it has read the body, so the answer is read by a thread while the body is
    sent. Returns (status, parsed JSON body or None)."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    received = []

    def read_answer():
        try:
            while True:
                got = sock.recv(65536)
                if not got:
                    return
                received.append(got)
                answer = b"".join(received)
                if b"\r\n\r\n" in answer and len(answer) >= answer_length(answer):
                    return
        except OSError:
            return

    reader = threading.Thread(target=read_answer)
    reader.start()
    head = [f"PUT /v1/blobs/{blob_id(data)} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {token}",
            "Content-Type: application/octet-stream"]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(data)}")
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        for start in range(0, len(data), piece):
            if not reader.is_alive():
                break  # answered already
            part = data[start:start + piece]
            sock.sendall(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
        if chunked and reader.is_alive():
            sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # refused and closed before the whole body was read
    reader.join(60)
    sock.close()
    answer = b"".join(received)
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    body = body[:answer_length(answer) - len(head) - 4]
    return status, json.loads(body) if body.strip().startswith(b"{") else None


def answer_length(answer):
    head, _, _ = answer.partition(b"\r\n\r\n")
    match = re.search(rb"(?i)content-length:\s*(\d+)", head)
    return len(head) + 4 + (int(match.group(1)) if match else 0)


def check_refused_puts(server, alice):
    c = alice.client
    usage = c.expect(200, "GET", "/v1/usage")
    server.admin("user", "quota", "alice", str(usage["used"] + 64 * 1024))
    before, rows = stored_blobs(server), db_rows(server)
    for _ in range(5):
        status, answer = raw_put(server, c.token, os.urandom(3 * MiB + 17), chunked=True)
        assert status == 507 and answer["error"] == "quota_exceeded", (status, answer)
    status, answer = raw_put(server, c.token, os.urandom(2 * MiB), chunked=False)
    assert status == 507 and answer["error"] == "quota_exceeded", (status, answer)
    assert "used" in answer["message"], answer
    assert stored_blobs(server) == (before[0], 0), "a refused blob left a file"
    assert db_rows(server) == rows
    assert c.expect(200, "GET", "/v1/usage") == dict(usage, quota=usage["used"] + 64 * 1024)
    print("refused PUTs (5 chunked, 1 declared): no blob file, no temp file, no row, usage unchanged")


def check_refused_batch(server, alice):
    c = alice.client
    server.admin("user", "quota", "alice", "unlimited")
    f = alice.create(alice.root_id, "batch target")["node"]["node_id"]
    used = c.expect(200, "GET", "/v1/usage")["used"]
    server.admin("user", "quota", "alice", str(used))
    before, rows = stored_blobs(server), db_rows(server)
    chunks = [os.urandom(1 * MiB) for _ in range(6)]  # several: the syncfs path of the batch
    commit = {"op": "commit", "node_id": f, "base_version": 0, "version": 1, "manifest": any_b64(),
              "chunks": [blob_id(d) for d in chunks], "blobs": [{"id": blob_id(d), "data": b64(d)} for d in chunks]}
    results = c.expect(200, "POST", "/v1/batch", {"ops": [commit]})["results"]
    assert [r["status"] for r in results] == [507], results
    assert results[0]["body"]["error"] == "quota_exceeded", results
    created = alice.create_request(alice.root_id, "never made")
    ops = [dict(created, op="create"), dict(commit, node_id=created["node_id"])]
    results = c.expect(200, "POST", "/v1/batch", {"ops": ops})["results"]
    assert [r["status"] for r in results] == [507, 424], results  # an entry op failed: nothing applied
    assert stored_blobs(server) == (before[0], 0), "a failed batch left blob files"
    assert db_rows(server) == rows
    assert c.expect(200, "GET", "/v1/usage")["used"] == used
    print("refused batch ops: no blob file, no row, usage unchanged")


def check_refused_versions(server, alice):
    c = alice.client
    server.admin("user", "quota", "alice", "unlimited")
    f = alice.create(alice.root_id, "big manifests")["node"]["node_id"]
    used = c.expect(200, "GET", "/v1/usage")["used"]
    server.admin("user", "quota", "alice", str(used + MiB))
    rows, size = db_rows(server), db_bytes(server)
    for _ in range(4):
        status, answer = alice.commit(f, [], manifest=b64(os.urandom(12 * MiB)))
        assert status == 507 and answer["error"] == "quota_exceeded", (status, str(answer)[:300])
    assert db_rows(server) == rows
    assert c.expect(200, "GET", "/v1/usage")["used"] == used
    assert c.expect(200, "GET", f"/v1/nodes/{f}/versions")["versions"] == []
    grown = db_bytes(server) - size
    assert grown < 4 * MiB, f"four refused 16 MiB manifests grew the database files by {grown} bytes"
    assert alice.commit(f, [], manifest=b64(os.urandom(1000)))[0] == 201
    print(f"refused 12 MiB manifests: no version, usage unchanged (database files grew {grown // 1024} KiB)")


def check_parallel(server, alice, chunked):
    c = alice.client
    server.admin("user", "quota", "alice", "unlimited")
    used = c.expect(200, "GET", "/v1/usage")["used"]
    quota = used + 3 * MiB + MiB // 2
    server.admin("user", "quota", "alice", str(quota))
    before, _ = stored_blobs(server)
    statuses = []
    bodies = [os.urandom(MiB) for _ in range(8)]
    threads = [threading.Thread(target=lambda d=d: statuses.append(raw_put(server, c.token, d, chunked)[0]))
               for d in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(set(statuses)) <= [201, 507] and len(statuses) == 8, statuses
    stored = statuses.count(201)
    now = c.expect(200, "GET", "/v1/usage")["used"]
    assert now <= quota, f"usage {now} passed the quota {quota}"
    assert now == used + stored * MiB and 1 <= stored <= 3, (statuses, now - used)
    after, temps = stored_blobs(server)
    assert len(after) == len(before) + stored and temps == 0
    print(f"8 parallel {'chunked' if chunked else 'declared'} 1 MiB uploads with 3.5 MiB room: "
          f"{stored} stored, usage within the quota, no leftovers")


def check_status_matches_admin(server, alice):
    server.admin("user", "quota", "alice", "50M")
    profile = os.path.join(server.tmp, "alice-profile")
    os.makedirs(profile, mode=0o700)
    password = os.path.join(server.tmp, "password-alice")
    coffer = [bin_path("coffer"), "--profile", profile]
    subprocess.run(coffer + ["login", "--server", f"http://127.0.0.1:{server.port}", "--user", "alice",
                             "--password-file", password], check=True, capture_output=True, timeout=120)
    status = subprocess.run(coffer + ["status"], check=True, capture_output=True, text=True, timeout=60).stdout
    match = re.search(r"^Usage:\s+(\d+) of (\d+) bytes", status, re.M)
    assert match, status
    listed = {u["user"]: u for u in json.loads(server.admin("--json", "user", "list").stdout)["users"]}["alice"]
    assert (int(match.group(1)), int(match.group(2))) == (listed["used"], listed["quota"]), (status, listed)
    assert listed["used"] == alice.client.expect(200, "GET", "/v1/usage")["used"]
    print(f"coffer status and coffer-admin user list agree: {listed['used']} of {listed['quota']} bytes")


def main():
    with CofferServer() as server:
        server.add_user("alice", PASSWORD)
        alice = server.account("alice", PASSWORD)
        check_refused_puts(server, alice)
        check_refused_batch(server, alice)
        check_refused_versions(server, alice)
        check_parallel(server, alice, chunked=False)
        check_parallel(server, alice, chunked=True)
        check_status_matches_admin(server, alice)
        assert "request failed: quota_exceeded" not in server.log(), "an over-quota answer was logged as a failure"
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
