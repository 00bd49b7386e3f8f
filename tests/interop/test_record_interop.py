"""Coffer's sealed records against an independent Python encoder, in both directions.

The encoder below was written from docs/crypto.md (sections 4, 12 and 12.1-12.6) alone, with
Python's `cryptography` for Fernet and HKDF and `hashlib` for SHA-256: sealed entries, folder
records, manifests (format version 3: holes, and each stored chunk's data blocks) and the folder
commitment. Coffer's
side is coffer_record_tool (tests/interop/record_tool.cpp). Run with Debian's
/usr/bin/python3, which has python3-cryptography.
"""

import base64
import hashlib
import json
import os
import random
import struct
import subprocess
import unittest

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

BIN_DIR = os.environ["COFFER_BIN_DIR"]
RECORD_TOOL = os.path.join(BIN_DIR, "coffer_record_tool")
VERSION = 2           # attribute records, sealed entries, folder records
MANIFEST_VERSION = 3  # manifests: each stored chunk also gives its 4 KiB blocks of data
BLOCK = 4096


# --- the encoder, from docs/crypto.md -------------------------------------------------------

def subkey(key_text, purpose):
    raw = base64.urlsafe_b64decode(key_text)
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"coffer/v1/" + purpose.encode())
    return base64.urlsafe_b64encode(hkdf.derive(raw))


def seal(key_text, purpose, plaintext):
    return base64.urlsafe_b64decode(Fernet(subkey(key_text, purpose)).encrypt(plaintext))


def unseal(key_text, purpose, sealed):
    return Fernet(subkey(key_text, purpose)).decrypt(base64.urlsafe_b64encode(sealed))


def node_id_field(node_id):
    raw = node_id.encode()
    return struct.pack(">H", len(raw)) + raw


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))

    def node_id(self):
        (size,) = self.unpack(">H")
        return self.take(size).decode()

    def header(self, kind):
        if self.take(2) != bytes([ord(kind), MANIFEST_VERSION if kind == "M" else VERSION]):
            raise ValueError("another kind or format version")

    def done(self):
        if self.pos != len(self.data):
            raise ValueError("trailing bytes")


def entry_plaintext(parent, node, tag_hex, node_key_text):
    return (bytes([ord("E"), VERSION]) + node_id_field(parent) + node_id_field(node) + bytes.fromhex(tag_hex)
            + base64.urlsafe_b64decode(node_key_text))


def parse_entry(plaintext):
    r = Reader(plaintext)
    r.header("E")
    out = {"parent": r.node_id(), "node": r.node_id(), "tag": r.take(32).hex(),
           "node_key": base64.urlsafe_b64encode(r.take(32)).decode()}
    r.done()
    return out


def folder_plaintext(node, revision, entry_count, commitment_hex):
    return (bytes([ord("F"), VERSION]) + node_id_field(node) + struct.pack(">QQ", revision, entry_count)
            + bytes.fromhex(commitment_hex))


def parse_folder(plaintext):
    r = Reader(plaintext)
    r.header("F")
    node = r.node_id()
    revision, entry_count = r.unpack(">QQ")
    out = {"node": node, "revision": revision, "entry_count": entry_count, "commitment": r.take(32).hex()}
    r.done()
    return out


def attributes_bytes(a):
    out = struct.pack(">IIIQ", a["mode"], a["uid"], a["gid"], a["rdev"])
    for field in ("atime", "mtime", "ctime"):
        out += struct.pack(">qI", *a[field])
    names = sorted(a["xattrs"], key=lambda n: n.encode())
    out += struct.pack(">I", len(names))
    for name in names:
        value = bytes.fromhex(a["xattrs"][name])
        out += struct.pack(">H", len(name.encode())) + name.encode() + struct.pack(">I", len(value)) + value
    target = a["target"].encode()
    return out + struct.pack(">I", len(target)) + target


def parse_attributes(r):
    mode, uid, gid, rdev = r.unpack(">IIIQ")
    a = {"mode": mode, "uid": uid, "gid": gid, "rdev": rdev}
    for field in ("atime", "mtime", "ctime"):
        a[field] = list(r.unpack(">qI"))
    (count,) = r.unpack(">I")
    a["xattrs"] = {}
    for _ in range(count):
        (name_size,) = r.unpack(">H")
        name = r.take(name_size).decode()
        (value_size,) = r.unpack(">I")
        a["xattrs"][name] = r.take(value_size).hex()
    (target_size,) = r.unpack(">I")
    a["target"] = r.take(target_size).decode()
    return a


def manifest_plaintext(m):
    out = (bytes([ord("M"), MANIFEST_VERSION]) + node_id_field(m["node"])
           + struct.pack(">QQII", m["version"], m["size"], m["chunk_size"], len(m["chunks"])))
    for chunk in m["chunks"]:
        if chunk is None:
            out += b"\x00"
        else:
            out += b"\x01" + bytes.fromhex(chunk[0]) + bytes.fromhex(chunk[1]) + struct.pack(">I", chunk[2])
    return out + attributes_bytes(m["attributes"])


def parse_manifest(plaintext):
    r = Reader(plaintext)
    r.header("M")
    m = {"node": r.node_id()}
    m["version"], m["size"], m["chunk_size"], count = r.unpack(">QQII")
    if count != -(-m["size"] // m["chunk_size"]):
        raise ValueError("chunk count does not match the size")
    m["chunks"] = []
    for i in range(count):
        marker = r.take(1)[0]
        if marker == 0:
            m["chunks"].append(None)
        elif marker == 1:
            chunk = [r.take(32).hex(), r.take(32).hex(), r.unpack(">I")[0]]
            covered = min(m["chunk_size"], m["size"] - i * m["chunk_size"])
            if not 1 <= chunk[2] <= -(-covered // BLOCK):
                raise ValueError("data blocks out of range")
            m["chunks"].append(chunk)
        else:
            raise ValueError("bad chunk marker")
    m["attributes"] = parse_attributes(r)
    r.done()
    return m


def folder_commitment(leaves):
    buckets = [b""] * 256
    for tag, mac in sorted((bytes.fromhex(t), bytes.fromhex(m)) for t, m in leaves):
        buckets[tag[0]] += tag + mac
    h = hashlib.sha256(b"coffer/v1/folder-set" + struct.pack(">Q", len(leaves)))
    for bucket in buckets:
        h.update(hashlib.sha256(bucket).digest())
    return h.hexdigest()


# --- the tests ----------------------------------------------------------------------------

def tool(command, request):
    result = subprocess.run([RECORD_TOOL, command], input=json.dumps(request).encode(), capture_output=True,
                            check=False)
    return result.returncode, (json.loads(result.stdout) if result.returncode == 0 else result.stderr.decode())


def random_hex(size):
    return os.urandom(size).hex()


def new_key():
    return Fernet.generate_key().decode()


def sample_manifest(node):
    chunk_size = 65536
    # 64 KiB chunks hold 16 blocks of 4 KiB; the last chunk covers 17 bytes: 1 block.
    chunks = [None, [random_hex(32), random_hex(32), 16], None, None, [random_hex(32), random_hex(32), 1]]
    return {"node": node, "version": 12, "size": 4 * chunk_size + 17, "chunk_size": chunk_size,
            "chunks": chunks,
            "attributes": {"mode": 0o100640, "uid": 1000, "gid": 100, "rdev": 0,
                           "atime": [1700000000, 1], "mtime": [-5, 999999999], "ctime": [0, 0],
                           "xattrs": {"user.b": "", "user.a": "00ff", "trusted.x": random_hex(300)},
                           "target": ""}}


class RecordInterop(unittest.TestCase):
    def setUp(self):
        self.parent_key, self.node_key = new_key(), new_key()
        self.entry = {"parent": random_hex(16), "node": random_hex(16), "tag": random_hex(32)}

    def test_entries_sealed_by_coffer_open_in_python(self):
        code, answer = tool("seal-entry", {"parent_key": self.parent_key, "node_key": self.node_key, **self.entry})
        self.assertEqual(code, 0, answer)
        sealed = bytes.fromhex(answer["sealed"])
        self.assertEqual(parse_entry(unseal(self.parent_key, "entry", sealed)),
                         {**self.entry, "node_key": self.node_key})

    def test_entries_sealed_by_python_open_in_coffer_only_where_they_belong(self):
        plaintext = entry_plaintext(self.entry["parent"], self.entry["node"], self.entry["tag"], self.node_key)
        sealed = seal(self.parent_key, "entry", plaintext).hex()
        code, answer = tool("open-entry", {"parent_key": self.parent_key, "sealed": sealed, **self.entry})
        self.assertEqual(code, 0, answer)
        self.assertEqual(answer["node_key"], self.node_key)
        for field in ("parent", "node", "tag"):
            moved = {**self.entry, field: random_hex(32 if field == "tag" else 16)}
            code, answer = tool("open-entry", {"parent_key": self.parent_key, "sealed": sealed, **moved})
            self.assertEqual(code, 1, field)
        version_1 = seal(self.parent_key, "entry", plaintext[:1] + b"\x01" + plaintext[2:]).hex()
        code, answer = tool("open-entry", {"parent_key": self.parent_key, "sealed": version_1, **self.entry})
        self.assertEqual(code, 1)
        self.assertIn("format version 1 is no longer read", answer)

    def test_folder_records_in_both_directions(self):
        key, node, commitment = new_key(), random_hex(16), random_hex(32)
        code, answer = tool("seal-folder", {"key": key, "node": node, "revision": 2**40 + 3, "entry_count": 7,
                                            "commitment": commitment})
        self.assertEqual(code, 0, answer)
        self.assertEqual(parse_folder(unseal(key, "folder", bytes.fromhex(answer["sealed"]))),
                         {"node": node, "revision": 2**40 + 3, "entry_count": 7, "commitment": commitment})
        sealed = seal(key, "folder", folder_plaintext(node, 9, 4, commitment)).hex()
        code, answer = tool("open-folder", {"key": key, "node": node, "sealed": sealed})
        self.assertEqual(code, 0, answer)
        self.assertEqual(answer, {"revision": 9, "entry_count": 4, "commitment": commitment})
        code, _ = tool("open-folder", {"key": key, "node": random_hex(16), "sealed": sealed})
        self.assertEqual(code, 1)

    def test_manifests_with_holes_in_both_directions(self):
        key, node = new_key(), random_hex(16)
        manifest = sample_manifest(node)
        code, answer = tool("seal-manifest", {"key": key, "manifest": manifest})
        self.assertEqual(code, 0, answer)
        plaintext = unseal(key, "manifest", bytes.fromhex(answer["sealed"]))
        self.assertEqual(plaintext, manifest_plaintext(manifest))
        self.assertEqual(parse_manifest(plaintext), manifest)

        device = sample_manifest(node)
        device["attributes"]["rdev"] = 0x0102030405060708
        sealed = seal(key, "manifest", manifest_plaintext(device)).hex()
        code, answer = tool("open-manifest", {"key": key, "node": node, "sealed": sealed})
        self.assertEqual(code, 0, answer)
        self.assertEqual(answer["manifest"], device)

    def test_manifest_with_a_bad_chunk_marker_is_refused(self):
        key, node = new_key(), random_hex(16)
        plaintext = bytearray(manifest_plaintext(sample_manifest(node)))
        first_marker = 2 + 2 + 32 + 8 + 8 + 4 + 4
        self.assertEqual(plaintext[first_marker], 0)
        plaintext[first_marker] = 2
        sealed = seal(key, "manifest", bytes(plaintext)).hex()
        code, _ = tool("open-manifest", {"key": key, "node": node, "sealed": sealed})
        self.assertEqual(code, 1)

    def test_manifest_data_blocks_out_of_range_or_format_2_are_refused(self):
        key, node = new_key(), random_hex(16)
        for index, blocks in ((1, 0), (1, 17), (4, 2)):
            spoiled = sample_manifest(node)
            spoiled["chunks"][index][2] = blocks
            sealed = seal(key, "manifest", manifest_plaintext(spoiled)).hex()
            code, _ = tool("open-manifest", {"key": key, "node": node, "sealed": sealed})
            self.assertEqual(code, 1, (index, blocks))
        plaintext = manifest_plaintext(sample_manifest(node))
        version_2 = seal(key, "manifest", plaintext[:1] + b"\x02" + plaintext[2:]).hex()
        code, answer = tool("open-manifest", {"key": key, "node": node, "sealed": version_2})
        self.assertEqual(code, 1)
        self.assertIn("format version 2 is no longer read", answer)

    def test_folder_commitment_equals_pythons_for_random_sets(self):
        rng = random.Random(12)
        for size in (0, 1, 2, 300, 2000):
            leaves = [[rng.randbytes(32).hex(), rng.randbytes(32).hex()] for _ in range(size)]
            code, answer = tool("commitment", {"leaves": leaves})
            self.assertEqual(code, 0, answer)
            self.assertEqual(answer["commitment"], folder_commitment(leaves), size)
        code, answer = tool("commitment", {"leaves": []})
        self.assertEqual(answer["commitment"], "3eb1cf60f3703792d5bc4e0233912cb585b1a9f279223f80edc4e0f5a20375c0")


if __name__ == "__main__":
    unittest.main(verbosity=2)
