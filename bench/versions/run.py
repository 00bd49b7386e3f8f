#!/usr/bin/python3
"""bench/versions: what keeping every version costs, and how long backups of the server take.

Two measurements, each on Coffer and on restic (Debian's package) in the same run:

  edits   A file of --file-mib MiB of random bytes, then --edits small edits (4 KiB written at
          a random offset), each made a version of its own: on Coffer, written through a real
          mount and uploaded (`coffer sync`) before the next edit, so every edit is a committed
          version on a real cofferd; on restic, written to a local folder and backed up
          (`restic backup`) after each edit, so every edit is a snapshot. Prints the bytes
          stored before and after the edits (Coffer: the server's data dir, blobs and
          database; restic: its repository).

  backup  A data set of --data-mib MiB written through the mount (4 MiB files), then a full
          backup of the serving server's data dir, 1 % of the data rewritten through the mount,
          and a second, incremental backup: `coffer-admin backup create DIR` (SQLite's online
          backup plus the blobs not yet in DIR) beside `restic backup` of the same data dir.
          Prints the seconds and the bytes each run added to its destination.

Needs root (FUSE), a build of Coffer (--build-dir, binaries in DIR/bin) and restic.
docs/performance.md has results.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MIB = 1 << 20
EDIT_SIZE = 4096


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file-mib", type=int, default=100, help="size of the edited file (default 100)")
    parser.add_argument("--edits", type=int, default=100, help="small edits, each a version (default 100)")
    parser.add_argument("--data-mib", type=int, default=1024, help="data set of the backup runs (default 1024)")
    parser.add_argument("--parts", default="edits,backup", help="comma-separated (default edits,backup)")
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build"), help="where Coffer was built")
    return parser.parse_args()


def tree_bytes(path):
    """Apparent size of every regular file under `path`."""
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            full = os.path.join(folder, name)
            if os.path.isfile(full) and not os.path.islink(full):
                total += os.path.getsize(full)
    return total


def edit_plan(args):
    """The same offsets and bytes for every system."""
    rng = random.Random(20261202)
    return [(rng.randrange(0, args.file_mib * MIB - EDIT_SIZE), rng.randbytes(EDIT_SIZE)) for _ in range(args.edits)]


def write_random_file(path, mib, seed):
    rng = random.Random(seed)
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(rng.randbytes(MIB))


def apply_edit(path, offset, data):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.pwrite(fd, data, offset)
    finally:
        os.close(fd)


def mib(n):
    return f"{n / MIB:.1f}"


# ---- restic ---------------------------------------------------------------------------------

class Restic:
    def __init__(self, root):
        os.makedirs(root, exist_ok=True)
        self.repo = os.path.join(root, "restic-repo")
        self.env = dict(os.environ, RESTIC_REPOSITORY=self.repo, RESTIC_PASSWORD="bench password",
                        RESTIC_CACHE_DIR=os.path.join(root, "restic-cache"))
        self.run("init")

    def run(self, *args):
        return subprocess.run(["restic", "--quiet", *args], env=self.env, check=True, capture_output=True, text=True)

    def backup(self, path):
        start = time.monotonic()
        self.run("backup", path)
        return time.monotonic() - start

    def size(self):
        return tree_bytes(self.repo)


# ---- edits ----------------------------------------------------------------------------------

def edits_coffer(args, plan):
    from mount_helper import MountedCloud
    with MountedCloud() as cloud:
        data_dir = cloud.server.data_dir
        empty = tree_bytes(data_dir)
        path = cloud.path("big.bin")
        write_random_file(path, args.file_mib, 1)
        cloud.sync()
        before = tree_bytes(data_dir) - empty
        for offset, data in plan:
            apply_edit(path, offset, data)
            cloud.sync()
        after = tree_bytes(data_dir) - empty
        stats = json.loads(cloud.server.admin("--json", "stats").stdout)
        return before, after, stats.get("versions")


def edits_restic(args, plan, root):
    restic = Restic(root)
    folder = os.path.join(root, "restic-data")
    os.makedirs(folder)
    path = os.path.join(folder, "big.bin")
    write_random_file(path, args.file_mib, 1)
    empty = restic.size()
    restic.backup(folder)
    before = restic.size() - empty
    for offset, data in plan:
        apply_edit(path, offset, data)
        restic.backup(folder)
    after = restic.size() - empty
    return before, after, len(json.loads(restic.run("snapshots", "--json").stdout))


def run_edits(args, root):
    plan = edit_plan(args)
    rows = [("Coffer (versions on cofferd)", *edits_coffer(args, plan)),
            ("restic 0.14 (snapshots)", *edits_restic(args, plan, root))]
    print(f"\nedits: a {args.file_mib} MiB file, then {args.edits} edits of {EDIT_SIZE} bytes, each kept")
    print(f"{'system':32} {'first (MiB)':>12} {'after edits':>12} {'growth':>9} {'per edit (KiB)':>15} {'versions':>9}")
    for name, before, after, versions in rows:
        print(f"{name:32} {mib(before):>12} {mib(after):>12} {mib(after - before):>9} "
              f"{(after - before) / max(args.edits, 1) / 1024:>15.0f} {versions if versions is not None else '-':>9}")


# ---- backup ---------------------------------------------------------------------------------

def timed(command):
    start = time.monotonic()
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return time.monotonic() - start, result


def run_backup(args, root):
    from coffer_harness import bin_path
    from mount_helper import MountedCloud
    with MountedCloud() as cloud:
        files = max(args.data_mib // 4, 1)
        for i in range(files):
            write_random_file(cloud.path(f"data-{i:04d}.bin"), 4, 1000 + i)
        cloud.sync()
        data_dir = cloud.server.data_dir
        coffer_dest = os.path.join(root, "coffer-backup")
        restic = Restic(root)
        admin = [bin_path("coffer-admin"), "--data", data_dir, "backup", "create", coffer_dest]

        full_s, _ = timed(admin)
        coffer_full = tree_bytes(coffer_dest)
        restic_empty = restic.size()
        restic_full_s = restic.backup(data_dir)
        restic_full = restic.size() - restic_empty

        changed = max(files // 100, 1)
        for i in range(changed):
            write_random_file(cloud.path(f"data-{i:04d}.bin"), 4, 5000 + i)
        cloud.sync()

        incr_s, _ = timed(admin)
        coffer_incr = tree_bytes(coffer_dest) - coffer_full
        restic_incr_s = restic.backup(data_dir)
        restic_incr = restic.size() - restic_empty - restic_full
        stored = tree_bytes(data_dir)

    print(f"\nbackup: {files} files of 4 MiB through the mount ({mib(stored)} MiB in the data dir), "
          f"then {changed} rewritten ({100 * changed / files:.1f} %)")
    print(f"{'system':34} {'full (s)':>9} {'added (MiB)':>12} {'incremental (s)':>16} {'added (MiB)':>12}")
    print(f"{'coffer-admin backup create':34} {full_s:>9.2f} {mib(coffer_full):>12} {incr_s:>16.2f} {mib(coffer_incr):>12}")
    print(f"{'restic 0.14 backup of the data dir':34} {restic_full_s:>9.2f} {mib(restic_full):>12} "
          f"{restic_incr_s:>16.2f} {mib(restic_incr):>12}")


def main():
    args = parse_args()
    if shutil.which("restic") is None:
        sys.exit("restic is not installed (apt-get install restic)")
    os.environ["COFFER_BIN_DIR"] = os.path.join(os.path.abspath(args.build_dir), "bin")
    sys.path[:0] = [os.path.join(ROOT, "tests", "integration", "lib"), os.path.join(ROOT, "tests", "integration", "mount")]
    parts = args.parts.split(",")
    for part in parts:
        if part not in ("edits", "backup"):
            sys.exit(f"unknown part {part!r} (edits, backup)")
    root = tempfile.mkdtemp(prefix="coffer-bench-versions-")
    try:
        if "edits" in parts:
            run_edits(args, os.path.join(root, "edits"))
        if "backup" in parts:
            run_backup(args, os.path.join(root, "backup"))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
