"""Server backups with coffer-admin on a real cofferd: a snapshot taken while writers keep
committing restores to a data directory cofferd starts on, where every version acknowledged
before the backup started reads back byte-exact and the old session still works; `backup
verify` passes, then names a blob whose byte was flipped; a second run copies only the blobs
written since; `--keep` removes old snapshots and the blobs only they needed."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from coffer_harness import Client, CofferServer, bin_path
from test_crash import batch_writer, check_acknowledged, check_store_files, writer

PASSWORD = "backup password"


def admin(server, *args, check=True):
    result = subprocess.run([bin_path("coffer-admin"), "--data", server.data_dir] + list(args),
                            capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"coffer-admin {' '.join(args)}: {result.returncode}\n{result.stdout}{result.stderr}")
    return result


def backup_blob_ids(backup_dir):
    root = os.path.join(backup_dir, "blobs")
    return {name for shard in os.listdir(root) if shard != "tmp" for name in os.listdir(os.path.join(root, shard))}


def live_blob_ids(server):
    root = os.path.join(server.data_dir, "blobs")
    return {name for shard in os.listdir(root) if shard != "tmp" for name in os.listdir(os.path.join(root, shard))}


class Writers:
    """The crash test's writers: single commits and batches, recording what was acknowledged."""

    def __init__(self, account):
        self.stop, self.lock, self.acknowledged = threading.Event(), threading.Lock(), []
        self.threads = [threading.Thread(target=writer, args=(account, self.stop, self.acknowledged, self.lock))
                        for _ in range(3)]
        self.threads.append(threading.Thread(target=batch_writer,
                                             args=(account, self.stop, self.acknowledged, self.lock)))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def so_far(self):
        with self.lock:
            return list(self.acknowledged)

    def wait_for(self, count):
        while len(self.so_far()) < count:
            if not any(t.is_alive() for t in self.threads):
                raise AssertionError("the writers stopped: " + str(len(self.so_far())))
            self.stop.wait(0.01)

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def check_scheduled_backups():
    """cofferd with a schedule takes a snapshot by itself: none exists yet, so one is due at start."""
    backup_dir = tempfile.mkdtemp(prefix="coffer-scheduled-")
    config = f"backup:\n  dir: {backup_dir}\n  schedule: 1h\n  keep: 2\n"
    with CofferServer(config_text=config) as server:
        server.add_user("owner", PASSWORD)
        deadline = time.monotonic() + 60
        while "backup: snapshot" not in server.log():
            assert time.monotonic() < deadline, "no scheduled snapshot within 60 s:\n" + server.log()
            time.sleep(0.05)
        listed = json.loads(admin(server, "--json", "backup", "list", backup_dir).stdout)
        assert len(listed) == 1, listed
        assert admin(server, "backup", "verify", backup_dir).returncode == 0
    shutil.rmtree(backup_dir, ignore_errors=True)
    print("scheduled: cofferd took a snapshot by itself")


def main():
    backup_dir = tempfile.mkdtemp(prefix="coffer-backup-")
    shutil.rmtree(backup_dir)
    with CofferServer() as server:
        server.add_user("owner", PASSWORD)
        account = server.account("owner", PASSWORD)

        # A snapshot taken while writers keep committing.
        with Writers(account) as writers:
            writers.wait_for(40)
            before = writers.so_far()
            first = json.loads(admin(server, "--json", "backup", "create", backup_dir).stdout)
            during = len(writers.so_far()) - len(before)
        assert first["copied_blobs"] == first["blobs"] > 0 and first["damaged"] == [], first
        print(f"snapshot {first['name']}: {first['blobs']} blobs; {len(before)} versions acknowledged before it "
              f"began, {during} more while it ran")

        verified = admin(server, "backup", "verify", backup_dir)
        assert "no problem" in verified.stdout, verified.stdout

        # Restore into a new data directory and serve it.
        restored_dir = os.path.join(tempfile.mkdtemp(prefix="coffer-restored-"), "data")
        restored = admin(server, "backup", "restore", backup_dir, "--data", restored_dir)
        assert "restored snapshot " + first["name"] in restored.stdout, restored.stdout
        with CofferServer(data_dir=restored_dir) as copy:
            old_session = Client(copy.port, token=account.client.token)
            assert old_session.get("/v1/account")[0] == 200, "the session of before the backup must still work"
            reopened = copy.account("owner", PASSWORD)
            assert reopened.root_id == account.root_id and reopened.master_key == account.master_key
            check_acknowledged(reopened, before)
            check_store_files(copy)
            clean = admin(copy, "fsck")
            assert "no problem" in clean.stdout, clean.stdout
        shutil.rmtree(os.path.dirname(restored_dir))
        print(f"restored: all {len(before)} versions acknowledged before the backup read back byte-exact")

        # A second run copies only what is new.
        with Writers(account) as writers:
            writers.wait_for(10)
        new_blobs = live_blob_ids(server) - backup_blob_ids(backup_dir)
        second = json.loads(admin(server, "--json", "backup", "create", backup_dir).stdout)
        assert second["copied_blobs"] == len(new_blobs) > 0, (second, len(new_blobs))
        assert second["blobs"] > second["copied_blobs"], second
        listed = json.loads(admin(server, "--json", "backup", "list", backup_dir).stdout)
        assert [s["name"] for s in listed] == [first["name"], second["name"]], listed
        print(f"incremental: {second['copied_blobs']} of {second['blobs']} blobs copied")

        # A flipped byte in one blob of the backup is found and named.
        victim = sorted(backup_blob_ids(backup_dir))[0]
        path = os.path.join(backup_dir, "blobs", victim[:2], victim)
        with open(path, "r+b") as f:
            byte = f.read(1)
            f.seek(0)
            f.write(bytes([byte[0] ^ 0x01]))
        broken = admin(server, "backup", "verify", backup_dir, check=False)
        assert broken.returncode == 1, broken
        assert f"blob {victim}: its bytes do not hash to its id" in broken.stdout, broken.stdout
        refused = admin(server, "backup", "restore", backup_dir, "--data", os.path.join(backup_dir, "x"), check=False)
        assert refused.returncode == 1 and victim in refused.stderr, refused
        with open(path, "r+b") as f:
            f.write(byte)
        assert admin(server, "backup", "verify", backup_dir).returncode == 0

        # --keep 1 drops the first snapshot and only the blobs no later snapshot lists.
        with Writers(account) as writers:
            writers.wait_for(5)
        third = json.loads(admin(server, "--json", "backup", "create", backup_dir, "--keep", "1").stdout)
        listed = json.loads(admin(server, "--json", "backup", "list", backup_dir).stdout)
        assert [s["name"] for s in listed] == [third["name"]], listed
        assert len(backup_blob_ids(backup_dir)) == third["blobs"], (len(backup_blob_ids(backup_dir)), third)
        assert admin(server, "backup", "verify", backup_dir).returncode == 0
        for blob in backup_blob_ids(backup_dir):
            with open(os.path.join(backup_dir, "blobs", blob[:2], blob), "rb") as f:
                assert hashlib.sha256(f.read()).hexdigest() == blob

        # A folder that is not a backup is refused, and so is restoring over data.
        not_backup = admin(server, "backup", "list", server.data_dir, check=False)
        assert not_backup.returncode == 1 and "is not a Coffer backup folder" in not_backup.stderr, not_backup
        over = admin(server, "backup", "restore", backup_dir, "--data", server.data_dir, check=False)
        assert over.returncode == 1 and "is not empty" in over.stderr, over
    shutil.rmtree(backup_dir, ignore_errors=True)
    check_scheduled_backups()
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
