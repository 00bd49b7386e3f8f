#!/usr/bin/python3
"""bench/dashboard/floor.py: what the dashboard's upload cannot go below on this machine, in
Debian's Chromium against one cofferd: the CPU seconds of its three parts measured apart.

  transport  256 distinct 1 MiB buffers, made before timing, PUT from the page by fetch with
             3 and 6 in flight (no crypto, no file read): Chromium's request path and cofferd.
  crypto     the same buffers through WebCrypto's AES-128-CBC, HMAC-SHA256 and SHA-256 in the
             page, one at a time and three at once (no network).
  read       a 256 MiB file on disk, given to the page as a File (the dashboard's picker),
             read as 1 MiB slices (`Blob.slice().arrayBuffer()`), one and three at a time,
             and through `File.stream()` (what the dashboard does since this bench).

Each row gives the wall time, MB/s and the CPU seconds Chromium's and cofferd's processes spent
meanwhile (from /proc), so the sum of the three parts can be set against what two cores give
in the time 100 MB/s allows. Needs root (FUSE), a build (--build-dir) and /usr/bin/chromium.
"""

import argparse
import os
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path[:0] = [os.path.join(ROOT, "tests", "integration", "lib"), os.path.join(ROOT, "tests", "integration", "mount"),
                os.path.join(ROOT, "tests", "web", "browser")]
MIB = 1 << 20
COUNT = 256
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds():
    """CPU seconds (user + system) of every thread of Chromium and cofferd alive now, by (pid, tid)."""
    seen = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() not in ("chromium", "cofferd"):
                    continue
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                seen[(pid, tid)] = (int(fields[11]) + int(fields[12])) / TICKS
        except OSError:
            pass  # a thread that ended meanwhile
    return seen


def measured(evaluate, script):
    before, start = cpu_seconds(), time.monotonic()
    evaluate(script)
    wall, after = time.monotonic() - start, cpu_seconds()
    return wall, sum(max(0.0, t - before.get(k, 0.0)) for k, t in after.items())


PREPARE = """(async () => {
  window.bufs = []; window.ids = [];
  for (let i = 0; i < %d; i++) {
    const b = new Uint8Array(1 << 20);
    for (let o = 0; o < b.length; o += 65536) crypto.getRandomValues(b.subarray(o, o + 65536));
    bufs.push(b);
    ids.push([...new Uint8Array(await crypto.subtle.digest('SHA-256', b))].map((x) => x.toString(16).padStart(2, '0')).join(''));
  }
  window.aesKey = await crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-CBC', false, ['encrypt']);
  window.macKey = await crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return true;
})()""" % COUNT

PUT = """(async () => {
  let next = 0;
  const one = async () => { while (next < bufs.length) { const i = next++;
    const r = await fetch('/v1/blobs/' + ids[i], { method: 'PUT', body: bufs[i],
      headers: { Authorization: 'Bearer %s', 'Content-Type': 'application/octet-stream' } });
    if (r.status >= 300) throw new Error('PUT answered ' + r.status); } };
  await Promise.all(Array.from({ length: %d }, one));
  for (let i = 0; i < bufs.length; i++) { bufs[i][0] ^= 0xff;  // new ids for the next run
    ids[i] = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bufs[i]))].map((x) => x.toString(16).padStart(2, '0')).join(''); }
  return true;
})()"""

READ = """(async () => {
  const file = document.getElementById('floor-file').files[0];
  let next = 0;
  const one = async () => { for (let i = next++; i < file.size / (1 << 20); i = next++) {
    const piece = new Uint8Array(await file.slice(i << 20, (i + 1) << 20).arrayBuffer());
    if (piece.length !== 1 << 20) throw new Error('short read'); } };
  await Promise.all(Array.from({ length: %d }, one));
  return true;
})()"""

STREAM = """(async () => {
  const file = document.getElementById('floor-file').files[0];
  const reader = file.stream().getReader();
  let read = 0;
  for (;;) { const { done, value } = await reader.read(); if (done) break; read += value.length; }
  if (read !== file.size) throw new Error('short read');
  return true;
})()"""

CRYPTO = """(async () => {
  let next = 0;
  const one = async () => { while (next < bufs.length) { const i = next++;
    const c = await crypto.subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, aesKey, bufs[i]);
    await crypto.subtle.sign('HMAC', macKey, c); await crypto.subtle.digest('SHA-256', c); } };
  await Promise.all(Array.from({ length: %d }, one));
  return true;
})()"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build"), help="where Coffer was built")
    args = parser.parse_args()
    os.environ.setdefault("COFFER_BIN_DIR", os.path.join(args.build_dir, "bin"))
    from devtools_pipe import HeadlessPage
    from mount_helper import PASSWORD, MountedCloud
    from test_dashboard import WebServer

    cloud = MountedCloud(quota=None)
    cloud.server = WebServer()
    rows = []
    with cloud:
        url = f"http://127.0.0.1:{cloud.server.port}"
        token = cloud.server.login("alice", PASSWORD, device="bench floor").token
        with HeadlessPage() as page:
            page.call("Page.enable")
            page.call("Page.navigate", {"url": url + "/favicon.svg"})  # the server's origin, no script
            deadline = time.monotonic() + 60
            while page.evaluate("location.href") != url + "/favicon.svg" or page.evaluate("document.readyState") != "complete":
                if time.monotonic() > deadline:
                    raise RuntimeError("the page did not load")
                time.sleep(0.05)
            source = os.path.join(cloud.scratch("floor"), "big.bin")
            with open(source, "wb") as f:
                for _ in range(COUNT):
                    f.write(os.urandom(MIB))
            page.evaluate("const input = document.createElementNS('http://www.w3.org/1999/xhtml', 'input'); input.type = 'file';"
                          " input.id = 'floor-file'; document.documentElement.append(input); true")
            page.set_files("#floor-file", [source])
            for flight in (1, 3):
                rows.append((f"read: 1 MiB File slices, {flight} at once", *measured(page.evaluate, READ % flight)))
            rows.append(("read: the File's stream", *measured(page.evaluate, STREAM)))
            page.evaluate(PREPARE)
            for flight in (3, 6):
                rows.append((f"transport: fetch PUT, {flight} in flight", *measured(page.evaluate, PUT % (token, flight))))
            for flight in (1, 3):
                rows.append((f"crypto: AES-CBC + HMAC + SHA-256, {flight} at once", *measured(page.evaluate, CRYPTO % flight)))

    size = COUNT * MIB
    print(f"{COUNT} MiB, one run, loopback, {os.cpu_count()} cores; 100 MB/s allows {size / 100e6:.2f} s")
    print("| Part | Wall s | MB/s | CPU s (Chromium + cofferd) |")
    print("|---|---:|---:|---:|")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.2f} | {size / wall / 1e6:.0f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
