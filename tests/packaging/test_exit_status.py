"""coffer, cofferd and coffer-admin answer a command line the same way, as their man pages'
EXIT STATUS sections say: 0 for --help and --version, 2 for a command line that is wrong (an
unknown command or option, a missing argument or value), with a message on standard error and
nothing on standard output."""
import os
import subprocess
import unittest
from pathlib import Path

BIN_DIR = Path(os.environ["COFFER_BIN_DIR"])

# For each program: command lines that must be refused as wrong. None of them reaches a
# server, a profile or a data directory.
WRONG = {
    "coffer": [["no-such-command"], ["status", "--no-such-option"], ["share"], ["fernet", "encrypt"],
               ["mount", "--profile"], ["link"], ["link", "x", "--expires", "7y"]],
    "cofferd": [["--no-such-option"], ["--config"], ["extra-argument"]],
    "coffer-admin": [["no-such-command"], ["user", "list", "--no-such-option"], ["user", "create"],
                     ["share", "revoke", "only-one-argument"]],
}


def run(program, args):
    return subprocess.run([str(BIN_DIR / program), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=30)


class ExitStatusTest(unittest.TestCase):
    def test_help_and_version_succeed(self):
        for program in WRONG:
            for flag in ("--help", "--version"):
                with self.subTest(program=program, flag=flag):
                    result = run(program, [flag])
                    self.assertEqual(result.returncode, 0, result.stderr)
                    self.assertTrue(result.stdout.strip(), "nothing printed")

    def test_wrong_command_lines_exit_2(self):
        for program, lines in WRONG.items():
            for args in lines:
                with self.subTest(program=program, args=args):
                    result = run(program, args)
                    self.assertEqual(result.returncode, 2, (result.stdout, result.stderr))
                    self.assertTrue(result.stderr.strip(), "no message on standard error")
                    self.assertEqual(result.stdout, "")


if __name__ == "__main__":
    unittest.main()
