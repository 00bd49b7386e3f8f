"""Bad input: each malformed request gets its 4xx with a JSON error body, never a 500, and the
server keeps serving."""

import json
import os
import socket
import sys

from coffer_harness import CofferServer, b64, blob_id, new_node_id
from server_scenario import Scenario, any_b64, fernet_like

CONFIG = "limits:\n  max_request_body: 256K\n  max_blob_size: 64K\n  max_header_count: 32\n"


def raw_request(port, data, timeout=10):
    """Sends raw bytes, returns the status of the answer (0 when the server just closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except socket.timeout:
            pass
    return int(answer.split(b" ")[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def create_body(s, **changes):
    body = {"node_id": new_node_id(), "type": "file", "parent_id": s.alice.root_id, "name": fernet_like(),
            "name_tag": os.urandom(32).hex(), "wrapped_key": any_b64(), "attributes": any_b64(),
            "attributes_revision": 1}
    body.update(changes)
    return body


def json_cases(s):
    """(description, method, path, body, expected status); body is bytes (sent as is) or JSON."""
    root, file, folder = s.alice.root_id, s.file, s.folder
    move_path = f"/v1/nodes/{root}/entries/{s.folder_tag}/move"
    move = {"new_parent_id": folder, "name": fernet_like(), "name_tag": os.urandom(32).hex(),
            "wrapped_key": any_b64(), "mode": "noreplace"}
    unknown = create_body(s)
    unknown["owner"] = "bob"
    return [
        ("malformed JSON", "POST", "/v1/nodes", b'{"node_id": ', 400),
        ("not an object", "POST", "/v1/nodes", b"[1, 2, 3]", 400),
        ("empty body", "POST", "/v1/nodes", b"", 400),
        ("invalid UTF-8", "POST", "/v1/nodes", b'{"node_id": "\xff\xfe"}', 400),
        ("deep nesting", "POST", "/v1/batch", b"[" * 100000, 400),
        ("unknown field", "POST", "/v1/nodes", unknown, 400),
        ("missing field", "POST", "/v1/nodes", {k: v for k, v in create_body(s).items() if k != "name_tag"}, 400),
        ("number for a string", "POST", "/v1/nodes", create_body(s, node_id=12345), 400),
        ("string for a number", "POST", "/v1/nodes", create_body(s, attributes_revision="1"), 400),
        ("negative number", "POST", "/v1/nodes", create_body(s, attributes_revision=-1), 400),
        ("fractional number", "POST", "/v1/nodes", create_body(s, attributes_revision=1.5), 400),
        ("huge number", "POST", "/v1/nodes", create_body(s, attributes_revision=2 ** 63), 400),
        ("bad node type", "POST", "/v1/nodes", create_body(s, type="socket"), 400),
        ("upper-case id", "POST", "/v1/nodes", create_body(s, node_id=new_node_id().upper()), 400),
        ("id with ../", "POST", "/v1/nodes", create_body(s, node_id="../../../../../../etc/passwd" + "x" * 4), 400),
        ("id with NUL", "POST", "/v1/nodes", create_body(s, node_id="\u0000" * 32), 400),
        ("base64 with bad padding", "POST", "/v1/nodes", create_body(s, wrapped_key="AAA"), 400),
        ("standard base64 alphabet", "POST", "/v1/nodes", create_body(s, attributes="ab+/"), 400),
        ("name that is no token", "POST", "/v1/nodes", create_body(s, name="report.txt"), 400),
        ("cycle: folder into itself", "POST", move_path, dict(move, new_parent_id=folder), 400),
        ("bad move mode", "POST", move_path, dict(move, mode="sideways"), 400),
        ("exchange without fields", "POST", move_path, dict(move, mode="exchange"), 400),
        ("stale-looking revision", "PUT", f"/v1/nodes/{file}/attributes",
         {"attributes": any_b64(), "revision": 1, "base_revision": 1}, 400),
        ("version not base+1", "POST", f"/v1/nodes/{file}/versions",
         {"base_version": 1, "version": 5, "manifest": any_b64(), "chunks": []}, 400),
        ("chunk not stored", "POST", f"/v1/nodes/{file}/versions",
         {"base_version": 1, "version": 2, "manifest": any_b64(), "chunks": ["ab" * 32]}, 400),
        ("batch without ops", "POST", "/v1/batch", {"operations": []}, 400),
        ("login with short key", "POST", "/v1/sessions", {"user": "alice", "auth_key": "AAAA", "device": "d"}, 400),
        ("login with control chars", "POST", "/v1/sessions",
         {"user": "alice", "auth_key": b64(bytes(32)), "device": "a\nb"}, 400),
        ("password change with weak kdf", "PUT", "/v1/account/password",
         {"current_auth_key": b64(bytes(32)), "kdf": {"algorithm": "scrypt", "n": 1024, "r": 8, "p": 1,
                                                        "salt": b64(bytes(16))},
          "auth_key": b64(bytes(32)), "key_bundle": any_b64()}, 400),
    ]


def path_cases(s):
    file = s.file
    return [
        ("node id with ../", "GET", "/v1/nodes/..%2F..%2Fetc%2Fpasswd", 404),
        ("node id of dots", "GET", "/v1/nodes/%2E%2E", 400),
        ("node id with NUL", "GET", "/v1/nodes/" + "%00" * 32, 400),
        ("node id not hex", "GET", "/v1/nodes/" + "zz" * 16, 400),
        ("node id too short", "GET", "/v1/nodes/abc", 400),
        ("blob id with ../", "GET", "/v1/blobs/..%2F" + "a" * 61, 404),
        ("blob id not hex", "GET", "/v1/blobs/" + "g" * 64, 400),
        ("blob id with NUL", "GET", "/v1/blobs/" + "a" * 63 + "%00", 400),
        ("name tag not hex", "GET", f"/v1/nodes/{s.folder}/entries/" + "x" * 64, 400),
        ("version not a number", "GET", f"/v1/nodes/{file}/versions/latest", 400),
        ("session id not hex", "DELETE", "/v1/sessions/" + "q" * 32, 400),
        ("page limit too big", "GET", f"/v1/nodes/{s.folder}/entries?limit=999999", 400),
        ("page after not a tag", "GET", f"/v1/nodes/{s.folder}/entries?after=../x", 400),
        ("cursor negative", "GET", "/v1/changes?cursor=-1", 400),
        ("timeout too long", "GET", "/v1/changes?cursor=0&timeout=3600", 400),
        ("audit since garbage", "GET", "/v1/admin/audit?since=yesterday", 403),
        ("auth params without user", "GET", "/v1/auth/params", 400),
        ("auth params bad user", "GET", "/v1/auth/params?user=..%2Froot", 400),
        ("unknown route", "GET", "/v1/nothing", 404),
        ("unknown method", "PATCH", "/v1/account", 404),
        ("no version prefix", "GET", "/nodes", 404),
    ]


def check_status(s, client, description, method, path, body, expected):
    headers = {"Content-Type": "application/json"} if isinstance(body, bytes) else None
    status, answer = client.request(method, path, body, headers=headers)
    assert status == expected, f"{description}: {method} {path} -> {status} {answer!r}"[:500]
    if method != "HEAD":
        assert isinstance(answer, dict) and "error" in answer and "message" in answer, f"{description}: {answer!r}"
    assert client.get("/v1/health")[0] == 200, f"server stopped serving after: {description}"


def check_blobs(s):
    c = s.alice.client
    data = os.urandom(1000)
    status, answer = c.put("/v1/blobs/" + blob_id(b"something else"), data)
    assert status == 400 and "hash" in answer["message"], (status, answer)
    status, answer = c.put("/v1/blobs/" + "A" * 64, data)
    assert status == 400, (status, answer)
    big = os.urandom(65 * 1024)
    status, answer = c.put("/v1/blobs/" + blob_id(big), big)
    assert status == 413 and answer["error"] == "too_large", (status, answer)
    assert c.head("/v1/blobs/" + blob_id(data))[0] == 404, "a refused blob must not be stored"
    print("blobs: wrong hash 400, bad id 400, oversized 413")


def check_limits(server, s):
    c = s.alice.client
    big = json.dumps({"ops": [{"op": "remove", "parent_id": "0" * 32, "name_tag": "0" * 64}] * 4000}).encode()
    status, answer = c.post("/v1/batch", big, headers={"Content-Type": "application/json"})
    assert status == 413, (status, answer)
    many = {f"X-Filler-{i}": "x" for i in range(40)}
    status, answer = c.get("/v1/account", headers=many)
    assert status == 413, (status, answer)
    long_line = b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Long: " + b"y" * 30000 + b"\r\n\r\n"
    assert raw_request(server.port, long_line) in (0, 413, 431)
    long_target = b"GET /v1/nodes/" + b"a" * 30000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert raw_request(server.port, long_target) in (0, 413, 414)
    assert raw_request(server.port, b"NONSENSE\r\n\r\n") in (0, 400)
    assert c.get("/v1/health")[0] == 200
    print("limits: oversized body and headers refused, garbage requests survived")


def main():
    with CofferServer(config_text=CONFIG) as server:
        s = Scenario(server)
        for case in json_cases(s):
            check_status(s, s.alice.client, *case)
        print(f"{len(json_cases(s))} malformed bodies refused")
        for description, method, path, expected in path_cases(s):
            check_status(s, s.alice.client, description, method, path, None, expected)
        print(f"{len(path_cases(s))} malformed paths and queries refused")
        check_blobs(s)
        check_limits(server, s)
        assert "critical" not in server.log() and " error " not in server.log(), server.log()
    print("ok")


if __name__ == "__main__":
    sys.exit(main())
