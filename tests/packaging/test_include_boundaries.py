"""The layers' include boundaries hold (docs/architecture.md, "Layers"): for each layer, one
translation unit per forbidden include, compiled with exactly the flags the build gives that
layer's sources (compile_commands.json), must fail, and fail on that include; the same unit
with an include the layer may use must compile, so a failure means the boundary and not a
broken command."""
import json
import os
import shlex
import subprocess
import unittest
from pathlib import Path

BUILD_DIR = Path(os.environ["COFFER_BIN_DIR"]).parent
SOURCE_DIR = Path(os.environ["COFFER_SOURCE_DIR"])

# (layer folder, include line, allowed?)
CASES = [
    # Third-party headers reach only the library that wraps them.
    ("server/service", "<httplib.h>", False),
    ("server/service", "<boost/beast/http.hpp>", False),
    ("server/service", "<boost/asio/io_context.hpp>", False),
    ("server/daemon", "<boost/asio.hpp>", False),
    ("server/http", "<boost/beast/http.hpp>", True),
    ("fs-daemon/vfs", "<curl/curl.h>", False),
    ("fs-daemon/cli", "<curl/curl.h>", False),
    ("fs-daemon/client", "<curl/curl.h>", True),
    ("fs-daemon/vfs", "<fuse3/fuse_lowlevel.h>", False),
    ("fs-daemon/daemon", "<fuse3/fuse_lowlevel.h>", False),
    ("fs-daemon/fuse", "<fuse3/fuse_lowlevel.h>", True),
    # server/ and fs-daemon/ never include each other.
    ("fs-daemon/vfs", '"server/storage/blob_store.hpp"', False),
    ("fs-daemon/cli", '"server/service/accounts.hpp"', False),
    ("server/service", '"vfs/vfs.hpp"', False),
    ("server/admin", '"client/api_client.hpp"', False),
    # A layer sees only the layers it links.
    ("fs-daemon/vfs", '"client/api_client.hpp"', False),
    ("fs-daemon/vfs", '"fuse/fuse_mount.hpp"', False),
    ("fs-daemon/vfs", '"sync/journal.hpp"', True),
    ("server/storage", '"server/service/accounts.hpp"', False),
    ("server/storage", '"protocol/auth.hpp"', False),
    ("server/service", '"server/storage/blob_store.hpp"', True),
    ("shared/crypto", '"protocol/auth.hpp"', False),
    ("shared/util", '"crypto/fernet.hpp"', False),
    ("shared/crypto", '"util/result.hpp"', True),
]


def layer_command(layer):
    """The compile command of one source of `layer`, as a list, compiling stdin instead."""
    folder = str(SOURCE_DIR / layer) + "/"
    for entry in json.loads((BUILD_DIR / "compile_commands.json").read_text()):
        if entry["file"].startswith(folder) and "/" not in entry["file"][len(folder):]:
            args = shlex.split(entry["command"])
            out = args.index("-o")
            del args[out:out + 2]
            args.remove("-c")
            args.remove(entry["file"])
            return entry["directory"], args + ["-fsyntax-only", "-x", "c++", "-"]
    raise AssertionError(f"no source of {layer} in compile_commands.json")


def compile_include(layer, include):
    directory, args = layer_command(layer)
    source = f"#define FUSE_USE_VERSION 34\n#include {include}\nint coffer_boundary_probe;\n"
    return subprocess.run(args, cwd=directory, input=source, capture_output=True, text=True)


class IncludeBoundariesTest(unittest.TestCase):
    def test_each_layer(self):
        for layer, include, allowed in CASES:
            with self.subTest(layer=layer, include=include):
                result = compile_include(layer, include)
                if allowed:
                    self.assertEqual(result.returncode, 0, result.stderr)
                else:
                    self.assertNotEqual(result.returncode, 0, f"{layer} may include {include}")
                    # Refused for the boundary (the header is not on the layer's include
                    # path, or the stopping header's #error), not for anything else.
                    self.assertRegex(result.stderr,
                                     r"<stdin>:2:\d+: fatal error: .*(No such file|not found)"
                                     r"|In file included from <stdin>:2:[\s\S]*#error .*is private to",
                                     result.stderr)


if __name__ == "__main__":
    unittest.main()
