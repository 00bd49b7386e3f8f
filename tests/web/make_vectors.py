#!/usr/bin/python3
"""Writes vectors.json: values made by Python's `cryptography` (Debian 12's python3-cryptography)
and hashlib from docs/crypto.md, for the browser crypto module's tests (python_vectors_test.mjs).

Key derivations, names, tags and wrapped keys come from tests/integration/lib/coffer_harness.py;
the record encoders below are written from docs/crypto.md sections 8, 9, 11 and 12. Random keys
and IVs make each run's file different; the committed one is what a run produced. Run:
    PYTHONPATH=tests/integration/lib /usr/bin/python3 tests/web/make_vectors.py > tests/web/vectors.json
or, to remake some sections only and keep the others (here the links of docs/crypto.md "Links"):
    PYTHONPATH=tests/integration/lib /usr/bin/python3 tests/web/make_vectors.py --only links > /tmp/v.json
    mv /tmp/v.json tests/web/vectors.json
Binary values are lowercase hex, keys and Fernet tokens base64url text, records in the JSON form
of tests/interop/record_tool.cpp.
"""

import base64
import hashlib
import hmac
import json
import os
import random
import struct
import sys

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from coffer_harness import b64, derive_login_keys, encrypt_name, hkdf, name_tag, wrap_key

PURPOSES = {"nameEncryption": "name-token", "nameTag": "name", "keyWrapping": "wrap", "manifest": "manifest",
            "attributes": "attributes", "entry": "entry", "folder": "folder"}
BLOCK = 4096
rng = random.Random(18)


def key_bytes():
    return os.urandom(32)


def seal(key, purpose, plaintext):
    """A raw token under subkey(key, purpose), as bytes."""
    return base64.urlsafe_b64decode(Fernet(b64(hkdf(key, "coffer/v1/" + purpose))).encrypt(plaintext))


def raw_token(key, plaintext):
    return base64.urlsafe_b64decode(Fernet(b64(key)).encrypt(plaintext))


def short_field(data):
    return struct.pack(">H", len(data)) + data


def header(kind, version=2):
    return bytes([ord(kind), version])


def raw_public(public_key):
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def raw_private(private_key):
    return private_key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                     serialization.NoEncryption())


# ---- docs/crypto.md section 2 and 3 ---------------------------------------------------------

def base64url_vectors():
    samples = [os.urandom(n) for n in range(0, 12)] + [os.urandom(rng.randrange(12, 300)) for _ in range(8)]
    return [{"hex": s.hex(), "text": base64.urlsafe_b64encode(s).decode()} for s in samples]


def forged_token(key, ciphertext, iv=b"\x07" * 16, version=0x80):
    """A token with a valid HMAC over whatever ciphertext it is given: reaches the checks after the MAC."""
    body = bytes([version]) + struct.pack(">Q", 1_700_000_000) + iv + ciphertext
    return body + hmac.new(key[:16], body, hashlib.sha256).digest()


def aes_cbc_no_padding(key, iv, data):
    encryptor = Cipher(algorithms.AES(key[16:]), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def fernet_vectors():
    key = key_bytes()
    f = Fernet(b64(key))
    sizes = [0, 1, 15, 16, 17, 31, 32, 33, 255, 4096, 4097]
    valid = []
    for n in sizes:
        plaintext = os.urandom(n)
        valid.append({"plaintext": plaintext.hex(), "token": f.encrypt(plaintext).decode()})
    good = base64.urlsafe_b64decode(f.encrypt(b"coffer"))
    iv = b"\x07" * 16
    bad_padding = aes_cbc_no_padding(key, iv, b"sixteen bytes!!\x05")
    invalid = {
        "MAC flipped": good[:-1] + bytes([good[-1] ^ 1]),
        "ciphertext flipped": good[:30] + bytes([good[30] ^ 1]) + good[31:],
        "truncated to 72 bytes": good[:72],
        "empty": b"",
        "version 0x81 with a valid MAC": forged_token(key, aes_cbc_no_padding(key, iv, b"\x10" * 16), version=0x81),
        "ciphertext of 17 bytes with a valid MAC": forged_token(key, os.urandom(17)),
        "padding byte 5 over unequal bytes with a valid MAC": forged_token(key, bad_padding),
        "padding byte 0 with a valid MAC": forged_token(key, aes_cbc_no_padding(key, iv, b"x" * 15 + b"\x00")),
        "padding byte 17 with a valid MAC": forged_token(key, aes_cbc_no_padding(key, iv, b"x" * 15 + b"\x11")),
    }
    control = forged_token(key, aes_cbc_no_padding(key, iv, b"fifteen bytes!\x02\x02"))
    assert Fernet(b64(key)).decrypt(base64.urlsafe_b64encode(control)) == b"fifteen bytes!"
    return {"key": b64(key), "valid": valid, "control": {"token": control.hex(), "plaintext": b"fifteen bytes!".hex()},
            "invalid": {k: v.hex() for k, v in invalid.items()}}


# ---- sections 4 to 10 -----------------------------------------------------------------------

def subkey_vectors():
    out = []
    for _ in range(3):
        key = key_bytes()
        out.append({"key": b64(key), "subkeys": {js: hkdf(key, "coffer/v1/" + info).hex() for js, info in PURPOSES.items()}})
    return out


def login_vectors():
    out = []
    for password, n, r, p in [("correct horse battery staple", 2 ** 14, 8, 1), ("", 2 ** 14, 1, 2),
                              ("pässwörd ✓ 🔑", 2 ** 15, 4, 1)]:
        kdf = {"algorithm": "scrypt", "n": n, "r": r, "p": p, "salt": b64(os.urandom(rng.choice([16, 32, 64])))}
        auth_key, kek = derive_login_keys(password, kdf)
        out.append({"password": password, "kdf": kdf, "auth_key": auth_key.hex(), "kek": b64(kek)})
    return out


def name_vectors():
    parent = key_bytes()
    names = ["report.txt", "Grüße.md", " leading space", "a", "x" * 255, "日本語のファイル名.pdf", "..."]
    return {"parent_key": b64(parent),
            "names": [{"name": n, "token": encrypt_name(parent, n), "tag": name_tag(parent, n)} for n in names],
            "invalid_plaintexts": [{"hex": bad.hex(), "token": Fernet(b64(hkdf(parent, "coffer/v1/name-token"))).encrypt(bad).decode()}
                                   for bad in [b"", b".", b"..", b"a/b", b"a\x00b", b"y" * 256]]}


def wrap_vectors():
    out = []
    for _ in range(3):
        parent, child = key_bytes(), key_bytes()
        out.append({"wrapping_key": b64(parent), "key": b64(child), "wrapped": wrap_key(parent, child)})
    short = key_bytes()
    out_wrong = {"wrapping_key": b64(short),
                 "wrapped_31_bytes": b64(seal(short, "wrap", os.urandom(31)))}
    return {"valid": out, "wrong_length": out_wrong}


def bundle_vectors():
    kek, master = key_bytes(), key_bytes()
    identity = X25519PrivateKey.generate()
    plaintext = b"\x01" + master + raw_private(identity)
    return {"kek": b64(kek), "master_key": b64(master), "public_key": raw_public(identity.public_key()).hex(),
            "sealed": raw_token(kek, plaintext).hex(),
            "wrong_version": raw_token(kek, b"\x02" + plaintext[1:]).hex(),
            "wrong_length": raw_token(kek, plaintext[:64]).hex()}


def fingerprint_vectors():
    out = []
    for _ in range(3):
        public = raw_public(X25519PrivateKey.generate().public_key())
        hex_digest = hashlib.sha256(public).hexdigest()[:32]
        out.append({"public_key": public.hex(), "fingerprint": " ".join(hex_digest[i:i + 4] for i in range(0, 32, 4))})
    return out


def grant_plaintext(g):
    return (header("G") + short_field(g["node"].encode()) + short_field(g["owner"].encode())
            + short_field(g["grantee"].encode()) + short_field(g["name"].encode())
            + bytes([1 if g["is_folder"] else 0]) + base64.urlsafe_b64decode(g["key"]))


def seal_grant(granter, grantee_public, plaintext):
    eph = X25519PrivateKey.generate()
    eph_pub = raw_public(eph.public_key())
    ikm = eph.exchange(grantee_public) + granter.exchange(grantee_public)
    salt = eph_pub + raw_public(granter.public_key()) + raw_public(grantee_public)
    wrapping = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"coffer/v1/grant").derive(ikm)
    return eph_pub + raw_token(wrapping, plaintext)


def grant_vectors():
    alice, bob = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    grants = []
    for name, is_folder in [("Holiday photos", True), ("notes.txt", False), ("Ünïcødé", True)]:
        g = {"node": os.urandom(16).hex(), "owner": "alice", "grantee": "bob", "name": name, "is_folder": is_folder,
             "key": b64(key_bytes())}
        g["sealed"] = seal_grant(alice, bob.public_key(), grant_plaintext(g)).hex()
        grants.append(g)
    bad = dict(grants[0])
    return {"granter_private": raw_private(alice).hex(), "granter_public": raw_public(alice.public_key()).hex(),
            "grantee_private": raw_private(bob).hex(), "grantee_public": raw_public(bob.public_key()).hex(),
            "grants": grants,
            "flags_2": seal_grant(alice, bob.public_key(), grant_plaintext(bad)[:-33] + b"\x02" + grant_plaintext(bad)[-32:]).hex(),
            "name_with_slash": seal_grant(alice, bob.public_key(), grant_plaintext({**bad, "name": "a/b"})).hex()}


# ---- sections 11 and 12 ---------------------------------------------------------------------

def attributes_bytes(a):
    out = struct.pack(">IIIQ", a["mode"], a["uid"], a["gid"], a["rdev"])
    for field in ("atime", "mtime", "ctime"):
        out += struct.pack(">qI", *a[field])
    names = sorted(a["xattrs"], key=lambda n: n.encode())
    out += struct.pack(">I", len(names))
    for name in names:
        value = bytes.fromhex(a["xattrs"][name])
        out += short_field(name.encode()) + struct.pack(">I", len(value)) + value
    return out + struct.pack(">I", len(a["target"].encode())) + a["target"].encode()


def manifest_plaintext(m):
    out = header("M", 3) + short_field(m["node"].encode()) + struct.pack(">QQII", m["version"], m["size"], m["chunk_size"], len(m["chunks"]))
    for chunk in m["chunks"]:
        out += b"\x00" if chunk is None else b"\x01" + bytes.fromhex(chunk[0]) + bytes.fromhex(chunk[1]) + struct.pack(">I", chunk[2])
    return out + attributes_bytes(m["attributes"])


def sample_attributes():
    return {"mode": 0o100640, "uid": 1000, "gid": 100, "rdev": 0, "atime": [1700000000, 1], "mtime": [-5, 999999999],
            "ctime": [2 ** 40, 0], "xattrs": {"user.b": "", "user.a": "00ff", "trusted.x": os.urandom(300).hex()},
            "target": ""}


def record_vectors():
    key = key_bytes()
    node = os.urandom(16).hex()
    chunk_size = 65536
    manifest = {"node": node, "version": 2 ** 53 + 1, "size": 4 * chunk_size + 17, "chunk_size": chunk_size,
                "chunks": [None, [os.urandom(32).hex(), os.urandom(32).hex(), 16], None, None,
                           [os.urandom(32).hex(), os.urandom(32).hex(), 1]],
                "attributes": sample_attributes()}
    attributes = {"node": node, "revision": 2 ** 64 - 1,
                  "attributes": {**sample_attributes(), "mode": 0o120777, "xattrs": {}, "target": "../é/target"}}
    attribute_plaintext = header("A") + short_field(node.encode()) + struct.pack(">Q", attributes["revision"]) + attributes_bytes(attributes["attributes"])
    entry = {"parent": os.urandom(16).hex(), "node": node, "tag": os.urandom(32).hex(), "node_key": b64(key_bytes())}
    entry_plaintext = (header("E") + short_field(entry["parent"].encode()) + short_field(node.encode())
                       + bytes.fromhex(entry["tag"]) + base64.urlsafe_b64decode(entry["node_key"]))
    folder = {"node": node, "revision": 41, "entry_count": 3, "commitment": os.urandom(32).hex()}
    folder_plaintext = header("F") + short_field(node.encode()) + struct.pack(">QQ", 41, 3) + bytes.fromhex(folder["commitment"])
    return {"key": b64(key), "node": node,
            # 64-bit values above 2^53 travel as decimal strings: JSON.parse would round them.
            "manifest": {"record": {**manifest, "version": str(manifest["version"])}, "plaintext": manifest_plaintext(manifest).hex(),
                         "sealed": seal(key, "manifest", manifest_plaintext(manifest)).hex()},
            "attribute_record": {"record": {**attributes, "revision": str(attributes["revision"])}, "plaintext": attribute_plaintext.hex(),
                                 "sealed": seal(key, "attributes", attribute_plaintext).hex()},
            "entry": {"record": entry, "plaintext": entry_plaintext.hex(), "sealed": seal(key, "entry", entry_plaintext).hex()},
            "folder": {"record": folder, "plaintext": folder_plaintext.hex(), "sealed": seal(key, "folder", folder_plaintext).hex()},
            "refused": {
                "manifest version 2": seal(key, "manifest", b"M\x02" + manifest_plaintext(manifest)[2:]).hex(),
                "manifest with marker 2": seal(key, "manifest", manifest_plaintext(manifest).replace(b"\x00\x00\x00\x05\x00", b"\x00\x00\x00\x05\x02", 1)).hex(),
                "manifest with a trailing byte": seal(key, "manifest", manifest_plaintext(manifest) + b"\x00").hex(),
                "manifest with 17 data blocks in a 64 KiB chunk": seal(key, "manifest", manifest_plaintext(
                    {**manifest, "chunks": [None, [manifest["chunks"][1][0], manifest["chunks"][1][1], 17], None, None, manifest["chunks"][4]]})).hex(),
                "manifest with a count that does not match the size": seal(key, "manifest", manifest_plaintext({**manifest, "size": 17})).hex(),
                "attribute record version 1": seal(key, "attributes", b"A\x01" + attribute_plaintext[2:]).hex(),
                "attribute record with nanoseconds of 10^9": seal(key, "attributes", header("A") + short_field(node.encode()) + struct.pack(">Q", 1)
                                                                + attributes_bytes({**attributes["attributes"], "atime": [0, 10 ** 9]})).hex(),
                "folder record holding an entry record": seal(key, "folder", entry_plaintext).hex(),
                "folder record with a short commitment": seal(key, "folder", folder_plaintext[:-1]).hex(),
            }}


def folder_commitment(leaves):
    buckets = [b""] * 256
    for tag, mac in sorted((bytes.fromhex(t), bytes.fromhex(m)) for t, m in leaves):
        buckets[tag[0]] += tag + mac
    h = hashlib.sha256(b"coffer/v1/folder-set" + struct.pack(">Q", len(leaves)))
    for bucket in buckets:
        h.update(hashlib.sha256(bucket).digest())
    return h.hexdigest()


def commitment_vectors():
    out = []
    for size in [0, 1, 2, 7, 300]:
        # A few tags share a first byte and a longer prefix, to pin the order inside a bucket.
        leaves = [[os.urandom(32).hex(), os.urandom(32).hex()] for _ in range(size)]
        if size >= 2:
            leaves[1][0] = leaves[0][0][:40] + os.urandom(12).hex()
        out.append({"leaves": leaves, "commitment": folder_commitment(leaves)})
    return out


def chunk_vectors():
    key = key_bytes()
    f = Fernet(b64(key))
    pieces = [os.urandom(1), os.urandom(BLOCK), bytes(BLOCK) + os.urandom(10), bytes(3 * BLOCK) + b"\x01" + bytes(BLOCK),
              os.urandom(BLOCK + 1), bytes(5000)]
    out = []
    for piece in pieces:
        blocks = sum(1 for at in range(0, len(piece), BLOCK) if any(piece[at:at + BLOCK]))
        stored = base64.urlsafe_b64decode(f.encrypt(piece))
        out.append({"piece": piece.hex(), "stored": stored.hex(), "id": hashlib.sha256(stored).hexdigest(),
                    "mac": stored[-32:].hex(), "data_blocks": blocks})
    return {"key": b64(key), "chunks": out}


def link_seal_key(ikm, link_id):
    """docs/crypto.md "Links": HKDF-SHA256(ikm, no salt, info "coffer link seal v1" || link id)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"coffer link seal v1" + link_id).derive(ikm)


def link_plaintext(kind, node_id, node_key, fmt=1):
    return bytes([fmt, ord("D" if kind == "folder" else "F")]) + bytes.fromhex(node_id) + node_key


def link_vectors():
    """Links with and without a password, labels, URLs, and sealed keys that must not open."""
    links = []
    for kind, password in [("file", None), ("folder", None), ("file", "correct horse \u00e9t\u00e9"), ("folder", "")]:
        link_id, secret, node_id, node_key = os.urandom(16), os.urandom(32), os.urandom(16).hex(), key_bytes()
        ikm = secret
        password_object = None
        if password is not None:
            salt = os.urandom(16)
            kdf = {"algorithm": "scrypt", "n": 2 ** 14, "r": 8, "p": 1, "salt": b64(salt)}
            password_object = {"salt": b64(salt), "kdf": kdf}
            ikm = secret + Scrypt(salt=salt, length=32, n=kdf["n"], r=kdf["r"], p=kdf["p"]).derive(password.encode())
        seal_key = link_seal_key(ikm, link_id)
        plaintext = link_plaintext(kind, node_id, node_key)
        base = "https://cloud.example.org:8443/" if kind == "file" else "http://127.0.0.1:8080"
        links.append({"link_id": b64(link_id), "secret": b64(secret), "password": password,
                      "password_object": password_object, "ikm": ikm.hex(), "seal_key": seal_key.hex(),
                      "kind": kind, "node_id": node_id, "node_key": b64(node_key), "plaintext": plaintext.hex(),
                      "sealed_key": b64(raw_token(seal_key, plaintext)), "base_url": base,
                      "url": base.rstrip("/") + "/l/" + b64(link_id) + "#" + b64(secret)})
    master = key_bytes()
    label_key = hkdf(master, "coffer/v1/link-label")
    labels = [{"path": path, "label": b64(raw_token(label_key, path.encode()))}
              for path in ["/docs/report.pdf", "/Photos/\u00e9t\u00e9 2026", "/a"]]
    # Each sealed under the first link's seal key, so only its defect refuses it.
    first = links[0]
    seal_key = bytes.fromhex(first["seal_key"])
    node_key = base64.urlsafe_b64decode(first["node_key"])
    good = link_plaintext("file", first["node_id"], node_key)
    defects = {
        "format": raw_token(seal_key, link_plaintext("file", first["node_id"], node_key, fmt=2)),
        "kind_byte": raw_token(seal_key, good[:1] + b"X" + good[2:]),
        "short": raw_token(seal_key, good[:-1]),
        "long": raw_token(seal_key, good + b"\x00"),
        "other_kind": raw_token(seal_key, link_plaintext("folder", first["node_id"], node_key)),
        "other_node": raw_token(seal_key, link_plaintext("file", os.urandom(16).hex(), node_key)),
        "other_key": raw_token(key_bytes(), good),
        "other_link_id": raw_token(link_seal_key(base64.urlsafe_b64decode(first["secret"]), os.urandom(16)), good),
    }
    return {"links": links, "labels": {"master_key": b64(master), "subkey": label_key.hex(), "items": labels},
            "refused": {d: t.hex() for d, t in defects.items()}}


def main():
    vectors = {
        "generator": "tests/web/make_vectors.py with cryptography " + __import__("cryptography").__version__,
        "base64url": base64url_vectors(), "fernet": fernet_vectors(), "subkeys": subkey_vectors(),
        "login": login_vectors(), "names": name_vectors(), "wrapped_keys": wrap_vectors(), "key_bundle": bundle_vectors(),
        "fingerprints": fingerprint_vectors(), "grants": grant_vectors(), "records": record_vectors(),
        "commitments": commitment_vectors(), "chunks": chunk_vectors(), "links": link_vectors(),
    }
    if sys.argv[1:2] == ["--only"]:
        # Replaces the named sections of the committed file and keeps the others as they are.
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json"), encoding="utf-8") as f:
            kept = json.load(f)
        for name in sys.argv[2:]:
            kept[name] = vectors[name]
        vectors = kept
    json.dump(vectors, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
