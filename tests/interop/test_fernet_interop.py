"""coffer's Fernet against Python's cryptography.fernet, in both directions.

Drives the real `coffer fernet` command (and coffer_chunk_tool for raw chunk tokens) the way
a script at a shell would. Run with Debian's /usr/bin/python3, which has python3-cryptography.
"""

import base64
import hashlib
import os
import subprocess
import tempfile
import unittest

from cryptography.fernet import Fernet, InvalidToken

BIN_DIR = os.environ["COFFER_BIN_DIR"]
COFFER = os.path.join(BIN_DIR, "coffer")
CHUNK_TOOL = os.path.join(BIN_DIR, "coffer_chunk_tool")

MIB = 1 << 20
# Around every AES block and chunk boundary that could matter, up to 3 MiB.
SIZES = [0, 1, 15, 16, 17, 31, 32, 33, 255, 4095, 4096, 4097, 65536,
         MIB - 1, MIB, MIB + 1, 3 * MIB]
STAMP = 1_700_000_000


def run(args, data=b""):
    return subprocess.run(args, input=data, capture_output=True, check=False)


class FernetInterop(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        genkey = run([COFFER, "fernet", "genkey"])
        assert genkey.returncode == 0, genkey.stderr
        cls.key = genkey.stdout.strip()
        cls.key_file = cls.write_key(cls.key, "coffer.key")
        cls.fernet = Fernet(cls.key)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def write_key(cls, key, name):
        path = os.path.join(cls.tmp.name, name)
        with open(path, "wb") as f:
            f.write(key + b"\n")
        return path

    def payload(self, size):
        return os.urandom(size)

    def coffer_encrypt(self, data, *extra):
        result = run([COFFER, "fernet", "encrypt", "--key-file", self.key_file, *extra], data)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.endswith(b"\n"))
        self.assertEqual(result.stdout.count(b"\n"), 1)
        return result.stdout.rstrip(b"\n")

    def coffer_decrypt(self, token, *extra, key_file=None):
        return run([COFFER, "fernet", "decrypt", "--key-file", key_file or self.key_file, *extra], token)

    def assert_refused(self, result):
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, b"")
        lines = result.stderr.decode().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("invalid Fernet token", lines[0])

    def test_genkey_is_a_standard_key(self):
        self.assertEqual(len(self.key), 44)
        self.assertEqual(len(base64.urlsafe_b64decode(self.key)), 32)

    def test_coffer_tokens_decrypt_in_python(self):
        for size in SIZES:
            with self.subTest(size=size):
                data = self.payload(size)
                self.assertEqual(self.fernet.decrypt(self.coffer_encrypt(data)), data)

    def test_python_tokens_decrypt_in_coffer(self):
        for size in SIZES:
            with self.subTest(size=size):
                data = self.payload(size)
                result = self.coffer_decrypt(self.fernet.encrypt(data))
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(result.stdout, data)

    def test_python_key_works_in_coffer(self):
        python_key = Fernet.generate_key()
        key_file = self.write_key(python_key, "python.key")
        token = Fernet(python_key).encrypt(b"from python")
        result = self.coffer_decrypt(token, key_file=key_file)
        self.assertEqual(result.stdout, b"from python")

    def test_surrounding_whitespace_is_accepted(self):
        token = self.fernet.encrypt(b"spaced")
        result = self.coffer_decrypt(b"\n  " + token + b" \r\n\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, b"spaced")

    def test_now_sets_the_timestamp(self):
        token = self.coffer_encrypt(b"stamped", "--now", str(STAMP))
        self.assertEqual(self.fernet.extract_timestamp(token), STAMP)

    def test_ttl_coffer_token_in_python(self):
        token = self.coffer_encrypt(b"ttl", "--now", str(STAMP))
        self.assertEqual(self.fernet.decrypt_at_time(token, 100, STAMP + 100), b"ttl")
        with self.assertRaises(InvalidToken):
            self.fernet.decrypt_at_time(token, 100, STAMP + 101)
        self.assertEqual(self.fernet.decrypt_at_time(token, 100, STAMP - 60), b"ttl")
        with self.assertRaises(InvalidToken):
            self.fernet.decrypt_at_time(token, 100, STAMP - 61)

    def test_ttl_python_token_in_coffer(self):
        token = self.fernet.encrypt_at_time(b"ttl", STAMP)
        for now, accepted in [(STAMP, True), (STAMP + 100, True), (STAMP + 101, False),
                              (STAMP - 60, True), (STAMP - 61, False)]:
            with self.subTest(now=now):
                result = self.coffer_decrypt(token, "--ttl", "100", "--now", str(now))
                if accepted:
                    self.assertEqual(result.returncode, 0, result.stderr)
                    self.assertEqual(result.stdout, b"ttl")
                else:
                    self.assert_refused(result)

    def test_without_ttl_old_tokens_decrypt(self):
        token = self.fernet.encrypt_at_time(b"old", 1)
        self.assertEqual(self.coffer_decrypt(token).stdout, b"old")

    def test_invalid_tokens_are_refused_with_empty_stdout(self):
        good = self.fernet.encrypt(b"secret plaintext")
        raw = bytearray(base64.urlsafe_b64decode(good))
        flipped = bytes(raw[:30]) + bytes([raw[30] ^ 1]) + bytes(raw[31:])
        cases = {
            "empty": b"",
            "garbage": b"not a token at all",
            "truncated": good[:-4],
            "bit flipped": base64.urlsafe_b64encode(flipped),
            "wrong version": base64.urlsafe_b64encode(b"\x81" + bytes(raw[1:])),
            "too short": base64.urlsafe_b64encode(bytes(raw[:60])),
            "standard base64 alphabet": self.standard_alphabet_token(),
            "another key": Fernet(Fernet.generate_key()).encrypt(b"secret plaintext"),
            "two tokens": good + b"\n" + good,
        }
        for name, token in cases.items():
            with self.subTest(name=name):
                self.assert_refused(self.coffer_decrypt(token))

    def standard_alphabet_token(self):
        """A valid token written with '+' and '/' (Python would accept it; Fernet forbids it)."""
        while True:
            token = self.fernet.encrypt(b"secret plaintext")
            standard = token.translate(bytes.maketrans(b"-_", b"+/"))
            if standard != token:
                return standard

    def test_raw_chunk_tokens_are_standard_fernet(self):
        for size in [0, 1, 16, MIB, 3 * MIB]:
            with self.subTest(size=size):
                data = self.payload(size)
                stored_path = os.path.join(self.tmp.name, "chunk.bin")
                result = run([CHUNK_TOOL, "encrypt", self.key_file, stored_path], data)
                self.assertEqual(result.returncode, 0, result.stderr)
                with open(stored_path, "rb") as f:
                    stored = f.read()
                chunk_id, mac = result.stdout.decode().split()
                self.assertEqual(chunk_id, hashlib.sha256(stored).hexdigest())
                self.assertEqual(mac, stored[-32:].hex())
                self.assertEqual(self.fernet.decrypt(base64.urlsafe_b64encode(stored)), data)

    def test_python_tokens_decrypt_as_raw_chunks(self):
        data = self.payload(MIB + 7)
        stored = base64.urlsafe_b64decode(self.fernet.encrypt(data))
        mac = stored[-32:].hex()
        result = run([CHUNK_TOOL, "decrypt", self.key_file, mac], stored)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, data)
        other = base64.urlsafe_b64decode(self.fernet.encrypt(data))
        self.assertNotEqual(run([CHUNK_TOOL, "decrypt", self.key_file, mac], other).returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
