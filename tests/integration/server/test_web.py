"""The web dashboard as cofferd serves it (docs/server.md, "The web dashboard"): the security
headers on every answer (pages, API, errors; HSTS only over HTTPS), the files built into the
binary with their content types, strong ETags, 304 for If-None-Match and HEAD; the allow-list
(package files, tools, node_modules, hidden files, unknown extensions refused); `--web-root`
serving a working copy from disk, read again at each request, refusing paths that climb out of
it and symbolic links that lead out; path traversal refused in every spelling. The placeholder
index.html lives only in this test's temporary web root, never in web/."""

import hashlib
import http.client
import os
import ssl
import subprocess
import sys
import tempfile

from coffer_harness import CofferServer, bin_path

SOURCE = os.environ.get("COFFER_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
WEB = os.path.join(SOURCE, "web")

CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
SECURITY = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def raw(port, method, path, headers=None, connection_class=http.client.HTTPConnection, **kw):
    """(status, lower-cased headers, body) of one request sent with the path exactly as given."""
    connection = connection_class("127.0.0.1", port, timeout=30, **kw)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def check_security_headers(headers, what, tls=False):
    for name, value in SECURITY.items():
        assert headers.get(name) == value, f"{what}: {name} is {headers.get(name)!r}"
    if tls:
        assert headers.get("strict-transport-security", "").startswith("max-age="), f"{what}: no HSTS over HTTPS"
    else:
        assert "strict-transport-security" not in headers, f"{what}: HSTS over plain HTTP"


REFUSED = [
    "/package.json", "/package-lock.json", "/tsconfig.json", "/eslint.config.js", "/tools/vendor.mjs",
    "/node_modules/x.js", "/js/node_modules/x.js", "/vendor/noble-hashes/LICENSE", "/vendor/noble-hashes/VERSION",
    "/vendor/noble-hashes/scrypt.d.ts", "/.gitignore", "/js/.hidden.js", "/js/../package.json",
    "/js/%2e%2e/package.json", "/%2e%2e/%2e%2e/etc/passwd", "/js/%2E%2E/%2E%2E/etc/passwd", "/..%2fpackage.json",
    "/js/..%5c..%5cpackage.json", "//etc/passwd", "/js//crypto/fernet.js", "/js/./crypto/fernet.js",
    "/js/crypto/fernet.js%00.html", "/l/", "/l/a/b", "/index.html/", "/js/", "/v2/anything", "/etc/passwd",
]


def check_refusals(port, extra=()):
    for path in REFUSED + list(extra):
        status, headers, body = raw(port, "GET", path)
        assert status in (400, 404), f"GET {path}: {status} {body[:200]!r}"
        assert headers.get("content-type", "").startswith("application/json"), f"GET {path}: {headers}"
        check_security_headers(headers, "GET " + path)
    for method, path in [("POST", "/"), ("PUT", "/js/x.js"), ("DELETE", "/index.html"), ("GET", "/v1/nope")]:
        status, headers, _ = raw(port, method, path)
        assert status == 404, f"{method} {path}: {status}"
        check_security_headers(headers, f"{method} {path}")


def check_embedded(server):
    port = server.port
    status, headers, body = raw(port, "GET", "/v1/health")
    assert status == 200
    check_security_headers(headers, "GET /v1/health")
    status, headers, body = raw(port, "GET", "/v1/account")
    assert status == 401
    check_security_headers(headers, "401 of the API")

    # A file of the tree, byte for byte as in web/, with its content type and a strong ETag.
    path = "js/crypto/fernet.js"
    with open(os.path.join(WEB, path), "rb") as f:
        expected = f.read()
    status, headers, body = raw(port, "GET", "/" + path)
    assert status == 200 and body == expected, status
    assert headers["content-type"] == "text/javascript; charset=utf-8", headers
    etag = headers["etag"]
    assert etag == '"' + hashlib.sha256(expected).hexdigest()[:32] + '"', etag
    check_security_headers(headers, "GET /" + path)
    status, headers, body = raw(port, "GET", "/" + path, {"If-None-Match": etag})
    assert status == 304 and body == b"" and headers["etag"] == etag, status
    check_security_headers(headers, "304")
    status, _, _ = raw(port, "GET", "/" + path, {"If-None-Match": 'W/"0000", ' + etag})
    assert status == 304
    status, _, body = raw(port, "GET", "/" + path, {"If-None-Match": '"00000000000000000000000000000000"'})
    assert status == 200 and body == expected
    status, headers, body = raw(port, "HEAD", "/" + path)
    assert status == 200 and body == b"" and int(headers["content-length"]) == len(expected), headers
    assert headers["etag"] == etag
    vendor = "vendor/noble-hashes/scrypt.js"
    status, headers, body = raw(port, "GET", "/" + vendor)
    with open(os.path.join(WEB, vendor), "rb") as f:
        assert status == 200 and body == f.read()

    # Each page is there when web/ has it at build time (the UI writes them), a 404 otherwise.
    for page, url in [("index.html", "/"), ("link.html", "/l/AAAAAAAAAAAAAAAAAAAAAA==")]:
        status, headers, body = raw(port, "GET", url)
        if os.path.exists(os.path.join(WEB, page)):
            with open(os.path.join(WEB, page), "rb") as f:
                assert status == 200 and body == f.read(), (url, status)
            assert headers["content-type"] == "text/html; charset=utf-8"
        else:
            assert status == 404, (url, status)
        check_security_headers(headers, "GET " + url)
    check_refusals(port)
    print("embedded: headers on pages, API and errors; byte-exact files, ETag/304, HEAD; allow-list and traversal refused")


def make_web_root(tmp):
    root = os.path.join(tmp, "webroot")
    os.makedirs(os.path.join(root, "js", "sub"))
    os.makedirs(os.path.join(root, "css"))
    os.makedirs(os.path.join(root, "node_modules"))
    os.makedirs(os.path.join(root, "tools"))
    files = {
        "index.html": b"<!doctype html><title>placeholder</title><p>test placeholder</p>\n",
        "link.html": b"<!doctype html><title>link</title>\n",
        "sw.js": b"// service worker\n",
        "favicon.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        "js/app.js": b"export const answer = 42;\n",
        "js/sub/deep.mjs": b"export {};\n",
        "js/.hidden.js": b"hidden\n",
        "css/site.css": b"body { margin: 0 }\n",
        "package.json": b"{}\n",
        "node_modules/x.js": b"nope\n",
        "tools/vendor.mjs": b"nope\n",
        "notes.txt": b"not allow-listed at the top\n",
    }
    for name, data in files.items():
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)
    outside = os.path.join(tmp, "outside.js")
    with open(outside, "wb") as f:
        f.write(b"secret outside the root\n")
    os.symlink(outside, os.path.join(root, "js", "out.js"))
    os.symlink("/etc", os.path.join(root, "js", "etc"))
    os.symlink(os.path.join(root, "js", "app.js"), os.path.join(root, "js", "inside.js"))
    return root, files


class WebRootServer(CofferServer):
    def __init__(self, web_root):
        super().__init__()
        self.web_root = web_root

    def command(self, listen="127.0.0.1:0"):
        return super().command(listen) + ["--web-root", self.web_root]


def check_web_root():
    tmp = tempfile.mkdtemp(prefix="coffer-web-")
    root, files = make_web_root(tmp)
    with WebRootServer(root) as server:
        port = server.port
        assert "serving the web dashboard from" in server.log()
        for url, name, kind in [("/", "index.html", "text/html; charset=utf-8"),
                                ("/index.html", "index.html", "text/html; charset=utf-8"),
                                ("/l/AAAAAAAAAAAAAAAAAAAAAA==", "link.html", "text/html; charset=utf-8"),
                                ("/sw.js", "sw.js", "text/javascript; charset=utf-8"),
                                ("/favicon.svg", "favicon.svg", "image/svg+xml"),
                                ("/js/app.js", "js/app.js", "text/javascript; charset=utf-8"),
                                ("/js/sub/deep.mjs", "js/sub/deep.mjs", "text/javascript; charset=utf-8"),
                                ("/css/site.css", "css/site.css", "text/css; charset=utf-8")]:
            status, headers, body = raw(port, "GET", url)
            assert status == 200 and body == files[name], (url, status, body[:100])
            assert headers["content-type"] == kind, (url, headers["content-type"])
            check_security_headers(headers, "GET " + url)
        status, _, body = raw(port, "GET", "/js/inside.js")
        assert status == 200 and body == files["js/app.js"], "a symlink inside the root is followed"
        # A working copy: an edit is served at the next request, with a new ETag.
        _, headers, _ = raw(port, "GET", "/js/app.js")
        old = headers["etag"]
        assert raw(port, "GET", "/js/app.js", {"If-None-Match": old})[0] == 304
        with open(os.path.join(root, "js", "app.js"), "wb") as f:
            f.write(b"export const answer = 43;\n")
        status, headers, body = raw(port, "GET", "/js/app.js", {"If-None-Match": old})
        assert status == 200 and body == b"export const answer = 43;\n" and headers["etag"] != old
        # A file added after the start is served too.
        with open(os.path.join(root, "js", "new.js"), "wb") as f:
            f.write(b"// new\n")
        assert raw(port, "GET", "/js/new.js")[0] == 200
        check_refusals(port, ["/js/out.js", "/js/etc/passwd", "/js/etc/hostname", "/notes.txt", "/js/missing.js",
                              "/node_modules/x.js", "/tools/vendor.mjs"])
    # The same from the configuration file's web_root.
    with CofferServer(config_text=f"web_root: {root}\n") as server:
        status, _, body = raw(server.port, "GET", "/")
        assert status == 200 and body == files["index.html"]
    result = subprocess.run([bin_path("cofferd"), "--web-root", os.path.join(tmp, "missing"), "--data", tmp, "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 2, (result.returncode, result.stderr)
    bad = os.path.join(tmp, "bad.yaml")
    with open(bad, "w") as f:
        f.write(f"web_root: {os.path.join(tmp, 'missing')}\n")
    result = subprocess.run([bin_path("cofferd"), "--config", bad, "--data", tmp, "--check"], capture_output=True, text=True)
    assert result.returncode == 1 and "web_root" in result.stderr, (result.returncode, result.stderr)
    print("--web-root and web_root: a working copy served from disk, edits picked up; symlinks out, "
          "traversal and unlisted files refused; a missing directory is a command-line error")


def check_tls():
    tmp = tempfile.mkdtemp(prefix="coffer-web-tls-")
    tls_dir = os.path.join(tmp, "tls")
    subprocess.run([bin_path("coffer-admin"), "--data", os.path.join(tmp, "tlsdata"), "tls", "init", "--dir", tls_dir],
                   capture_output=True, text=True, check=True)
    server = CofferServer(config_text=f"tls:\n  certificate: {tls_dir}/cert.pem\n  private_key: {tls_dir}/key.pem\n")
    try:
        port = server.start(scheme="https").port
        context = ssl.create_default_context(cafile=f"{tls_dir}/cert.pem")
        for path, expected in [("/v1/health", 200), ("/js/crypto/fernet.js", 200), ("/package.json", 404)]:
            status, headers, _ = raw(port, "GET", path, connection_class=http.client.HTTPSConnection, context=context)
            assert status == expected, (path, status)
            check_security_headers(headers, "HTTPS GET " + path, tls=True)
    finally:
        server.close()
    print("HTTPS: the same headers and HSTS")


def main():
    with CofferServer() as server:
        check_embedded(server)
    check_web_root()
    check_tls()
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
