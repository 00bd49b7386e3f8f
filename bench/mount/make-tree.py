#!/usr/bin/python3
"""Write a tarball of N small files (random sizes 0..20 KiB, mean about 10 KB) in nested
folders under tree/: 10 folders, each holding folders of 50 files. The same seed and N give
the same bytes, so every run and every machine extracts the same tree."""
import io
import random
import sys
import tarfile

out, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261124)
MTIME = 1_700_000_000


def member(name, kind, size=0):
    info = tarfile.TarInfo(name)
    info.type, info.size, info.mtime = kind, size, MTIME
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    info.uname = info.gname = "root"
    return info


with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as tar:
    tar.addfile(member("tree", tarfile.DIRTYPE))
    for i in range(count):
        leaf, top = i // 50, i // 500
        folder = f"tree/d{top:02d}/e{leaf % 10:02d}"
        if i % 500 == 0:
            tar.addfile(member(f"tree/d{top:02d}", tarfile.DIRTYPE))
        if i % 50 == 0:
            tar.addfile(member(folder, tarfile.DIRTYPE))
        data = rng.randbytes(rng.randint(0, 20 * 1024))
        tar.addfile(member(f"{folder}/f{i:05d}.bin", tarfile.REGTYPE, len(data)), io.BytesIO(data))
