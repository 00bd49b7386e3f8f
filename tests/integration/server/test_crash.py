"""Crash safety: kill -9 of cofferd in the middle of many uploads and commits, restart, and
every acknowledged version is whole, nothing half-written is visible, and every stored blob
matches its id."""

import hashlib
import os
import sqlite3
import sys
import threading
import time

from coffer_harness import CofferServer, b64, blob_id
from server_scenario import any_b64

WRITERS = 6
CHUNK = 64 * 1024


def writer(account, stop, acknowledged, lock):
    """Creates a file, then commits new versions of 1-3 fresh chunks until stopped or refused."""
    try:
        node = account.create(account.root_id, f"crash-{os.urandom(6).hex()}")["node"]["node_id"]
        version = 0
        while not stop.is_set():
            datas = [os.urandom(CHUNK) for _ in range(1 + version % 3)]
            chunks = [account.upload(data) for data in datas]
            status, _ = account.commit(node, chunks, base_version=version)
            if status != 201:
                return
            version += 1
            with lock:
                acknowledged.append((node, version, chunks, datas))
    except Exception:  # the server died under us, which is the point; the checks come after the restart
        return


def batch_writer(account, stop, acknowledged, lock):
    try:
        while not stop.is_set():
            ops, expected = [], []
            for _ in range(20):
                request = account.create_request(account.root_id, f"small-{os.urandom(6).hex()}")
                data = os.urandom(2000)
                ops.append(dict(request, op="create"))
                ops.append({"op": "commit", "node_id": request["node_id"], "base_version": 0, "version": 1,
                            "manifest": any_b64(), "chunks": [blob_id(data)],
                            "blobs": [{"id": blob_id(data), "data": b64(data)}]})
                expected.append((request["node_id"], 1, [blob_id(data)], [data]))
            status, answer = account.client.post("/v1/batch", {"ops": ops})
            if status != 200 or any(r["status"] != 201 for r in answer["results"]):
                return
            with lock:
                acknowledged.extend(expected)
    except Exception:  # as in writer()
        return


def run_and_kill(server, account, seconds):
    stop, lock, acknowledged = threading.Event(), threading.Lock(), []
    threads = [threading.Thread(target=writer, args=(account, stop, acknowledged, lock)) for _ in range(WRITERS)]
    threads.append(threading.Thread(target=batch_writer, args=(account, stop, acknowledged, lock)))
    for t in threads:
        t.start()
    time.sleep(seconds)
    server.kill()
    stop.set()
    for t in threads:
        t.join(30)
    with lock:
        return list(acknowledged)


def check_acknowledged(account, acknowledged):
    c = account.client
    for node, version, chunks, datas in acknowledged:
        detail = c.expect(200, "GET", f"/v1/nodes/{node}/versions/{version}")
        assert detail["chunks"] == chunks, f"version {version} of {node} changed"
        for chunk, data in zip(chunks, datas):
            assert c.get("/v1/blobs/" + chunk, raw=True) == (200, data), f"chunk {chunk} of {node} v{version}"


def check_everything_visible_is_whole(server, account):
    """Every version any node lists has all its chunks, and they hash to their ids."""
    c = account.client
    page = c.expect(200, "GET", f"/v1/nodes/{account.root_id}/entries?limit=5000")
    versions = 0
    for entry in page["entries"]:
        node = entry["node"]
        listed = [v["version"] for v in c.expect(200, "GET", f"/v1/nodes/{node['node_id']}/versions")["versions"]]
        assert listed == list(range(1, node["version"] + 1)), (node, listed)
        for number in listed:
            for chunk in c.expect(200, "GET", f"/v1/nodes/{node['node_id']}/versions/{number}")["chunks"]:
                status, data = c.get("/v1/blobs/" + chunk, raw=True)
                assert status == 200 and hashlib.sha256(data).hexdigest() == chunk, chunk
            versions += 1
    return versions


def check_store_files(server):
    blobs = os.path.join(server.data_dir, "blobs")
    assert os.listdir(os.path.join(blobs, "tmp")) == [], "temp files must be cleared at start"
    count = 0
    for shard in os.listdir(blobs):
        if shard == "tmp":
            continue
        for name in os.listdir(os.path.join(blobs, shard)):
            with open(os.path.join(blobs, shard, name), "rb") as f:
                assert hashlib.sha256(f.read()).hexdigest() == name, f"blob file {name} is not whole"
            count += 1
    with sqlite3.connect(os.path.join(server.data_dir, "coffer.db")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        missing = db.execute("SELECT count(*) FROM version_chunks c LEFT JOIN blobs b ON b.id = c.blob_id "
                             "WHERE b.id IS NULL").fetchone()[0]
        assert missing == 0
    return count


def main():
    with CofferServer() as server:
        server.add_user("crash", "crash password")
        for round_number in range(2):
            account = server.account("crash", "crash password")
            acknowledged = run_and_kill(server, account, 2.0)
            server.start()
            account = server.account("crash", "crash password")
            check_acknowledged(account, acknowledged)
            versions = check_everything_visible_is_whole(server, account)
            files = check_store_files(server)
            assert len(acknowledged) > 20, "the writers did too little before the kill to test anything"
            print(f"round {round_number + 1}: {len(acknowledged)} acknowledged versions whole after kill -9; "
                  f"{versions} versions visible, all whole; {files} blob files all match their ids")
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
