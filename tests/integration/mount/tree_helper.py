"""A varied source tree for copy tests, and a comparison of two trees' metadata."""

import os
import stat


def make_tree(root):
    """Files of many sizes, modes, owners and times, symlinks, hard links, empty folders."""
    os.makedirs(os.path.join(root, "src", "deep", "er"), exist_ok=True)
    os.makedirs(os.path.join(root, "empty"), exist_ok=True)
    sizes = [0, 1, 100, 4095, 4096, 65537, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 12345]
    for i, size in enumerate(sizes):
        path = os.path.join(root, "src", f"file{i}.bin")
        with open(path, "wb") as f:
            f.write(os.urandom(size))
    with open(os.path.join(root, "src", "deep", "er", "text with spaces.txt"), "w") as f:
        f.write("hello\n" * 100)
    with open(os.path.join(root, "script.sh"), "w") as f:
        f.write("#!/bin/sh\necho hi\n")
    os.chmod(os.path.join(root, "script.sh"), 0o755)
    os.chmod(os.path.join(root, "src", "file1.bin"), 0o600)
    os.chmod(os.path.join(root, "src", "file2.bin"), 0o4750)
    os.chown(os.path.join(root, "src", "file3.bin"), 1234, 5678)
    os.symlink("src/file0.bin", os.path.join(root, "link"))
    os.symlink("/nowhere/at/all", os.path.join(root, "dangling"))
    os.link(os.path.join(root, "src", "file4.bin"), os.path.join(root, "hardlink"))
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames + dirnames:
            path = os.path.join(dirpath, name)
            os.utime(path, ns=(1_500_000_000_123_456_789, 1_400_000_000_987_654_321), follow_symlinks=False)
    os.utime(root, ns=(1_500_000_000_000_000_000, 1_400_000_000_000_000_001))


def snapshot(root):
    """{relative path: (type and mode, uid, gid, size, mtime ns, symlink target)} for the tree."""
    result = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            target = os.readlink(path) if stat.S_ISLNK(st.st_mode) else None
            size = st.st_size if stat.S_ISREG(st.st_mode) else None
            mtime = None if stat.S_ISLNK(st.st_mode) else st.st_mtime_ns
            result[os.path.relpath(path, root)] = (st.st_mode, st.st_uid, st.st_gid, size, mtime, target)
    return result


def differences(a, b):
    """Human-readable differences between two snapshots ([] when equal)."""
    out = []
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            out.append(f"{key}: {a.get(key)} != {b.get(key)}")
    return out
