#!/usr/bin/python3
"""bench/dashboard: a 256 MiB file uploaded and downloaded by the dashboard in Debian's
Chromium, against the same file written and read through a real mount, and the same bytes as
raw blobs through curl (the HTTP transport alone, no crypto), in one run on one cofferd.

  browser  upload: the file picker to "Uploaded" (encrypt, hash, PUT each 1 MiB chunk, commit);
           download: the click to the last byte on disk (GET, verify, decrypt, through the
           service worker's stream to the browser's download). Twice: driven by
           playwright-core (browser.mjs), and over a bare DevTools pipe (devtools_run.py),
           since playwright's Network domain copies every request body to the driver.
  mount    write: cp into the mount + `coffer sync`; read: cat from a second device's fresh
           mount (no cache) to /dev/null.
  curl     PUT and GET of 256 random 1 MiB blobs with one curl process each way (keep-alive,
           sequential), the transport's ceiling.

Needs root (FUSE), a build (--build-dir, binaries in DIR/bin), web/node_modules (npm ci),
/usr/bin/chromium and curl. Prints a table; docs/performance.md has results.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)), os.path.join(ROOT, "tests", "integration", "lib"), os.path.join(ROOT, "tests", "integration", "mount"),
                os.path.join(ROOT, "tests", "web", "browser")]
MIB = 1 << 20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=int, default=256, help="file size in MiB (default 256)")
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build"), help="where Coffer was built")
    return parser.parse_args()


def timed(action):
    start = time.monotonic()
    action()
    return time.monotonic() - start


def curl_blobs(port, token, blobs, scratch):
    """Seconds to PUT, then GET, every blob with one curl each way."""
    put_cfg = os.path.join(scratch, "put.cfg")
    get_cfg = os.path.join(scratch, "get.cfg")
    with open(put_cfg, "w") as put, open(get_cfg, "w") as get:
        for blob_id, path in blobs:
            url = f"http://127.0.0.1:{port}/v1/blobs/{blob_id}"
            put.write(f'url = "{url}"\nupload-file = "{path}"\noutput = "/dev/null"\n')
            get.write(f'url = "{url}"\noutput = "/dev/null"\n')
    auth = ["-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/octet-stream", "--fail", "-s"]
    up = timed(lambda: subprocess.run(["curl", *auth, "-X", "PUT", "-K", put_cfg], check=True))
    down = timed(lambda: subprocess.run(["curl", *auth, "-K", get_cfg], check=True))
    return up, down


def main():
    args = parse_args()
    os.environ.setdefault("COFFER_BIN_DIR", os.path.join(args.build_dir, "bin"))
    from mount_helper import PASSWORD, MountedCloud
    from test_dashboard import WebServer, ensure_playwright, serves_web_root

    ensure_playwright()
    size = args.mib * MIB
    cloud = MountedCloud(quota=None)
    cloud.server = WebServer()
    rows = []
    with cloud:
        scratch = cloud.scratch("bench")
        source = os.path.join(scratch, "big.bin")
        with open(source, "wb") as f:
            for _ in range(args.mib):
                f.write(os.urandom(MIB))
        with open(source, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()

        env = dict(os.environ, COFFER_URL=f"http://127.0.0.1:{cloud.server.port}", COFFER_USER="alice",
                   COFFER_PASSWORD=PASSWORD, COFFER_FILE=source, COFFER_SCRATCH=scratch,
                   COFFER_WEB_ROOT_SERVED="1" if serves_web_root() else "0")
        out = subprocess.run(["node", os.path.join(os.path.dirname(__file__), "browser.mjs")], env=env,
                             capture_output=True, text=True, timeout=3600)
        if out.returncode != 0:
            sys.exit("browser run failed:\n" + out.stdout + out.stderr)
        browser = json.loads(out.stdout.strip().splitlines()[-1])
        if browser["sha256"] != digest:
            sys.exit("the browser downloaded other bytes")
        rows.append(("browser, driven by playwright-core", browser["upload"], browser["download"]))

        import devtools_run
        up, down, saved = devtools_run.run(env["COFFER_URL"], "alice", PASSWORD, source, scratch)
        with open(saved, "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != digest:
                sys.exit("the browser (DevTools pipe) downloaded other bytes")
        rows.append(("browser, bare DevTools pipe", up, down))

        target = cloud.path("via-mount.bin")
        write = timed(lambda: (subprocess.run(["cp", source, target], check=True), cloud.sync()))
        reader = cloud.second_device("reader")
        read = timed(lambda: subprocess.run(["cat", reader.path("via-mount.bin")], stdout=subprocess.DEVNULL, check=True))
        rows.append(("mount (coffer)", write, read))

        blobs = []
        blob_dir = os.path.join(scratch, "blobs")
        os.makedirs(blob_dir)
        for i in range(args.mib):
            data = os.urandom(MIB)
            blob_id = hashlib.sha256(data).hexdigest()
            path = os.path.join(blob_dir, blob_id)
            with open(path, "wb") as f:
                f.write(data)
            blobs.append((blob_id, path))
        token = cloud.server.login("alice", PASSWORD, device="bench curl").token
        up, down = curl_blobs(cloud.server.port, token, blobs, scratch)
        rows.append(("curl raw blobs (no crypto)", up, down))

    print(f"{args.mib} MiB file, one run, loopback, {os.cpu_count()} cores")
    print(f"| Path | Upload s | Upload MB/s | Download s | Download MB/s |")
    print(f"|---|---:|---:|---:|---:|")
    for name, up, down in rows:
        print(f"| {name} | {up:.1f} | {size / up / 1e6:.0f} | {down:.1f} | {size / down / 1e6:.0f} |")


if __name__ == "__main__":
    main()
