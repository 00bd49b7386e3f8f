"""A populated server for the server integration tests: alice with a small tree, a version and
a blob; bob with his own root; both logged in. Kept beside the tests that use it."""

import os
import sqlite3
import time

from coffer_harness import CofferServer, b64, blob_id, name_tag


class Scenario:
    def __init__(self, server):
        self.server = server
        server.add_user("alice", "alice password")
        server.add_user("bob", "bob password")
        self.alice = server.account("alice", "alice password")
        self.bob = server.account("bob", "bob password")
        a = self.alice
        self.folder = a.create(a.root_id, "docs", "folder")["node"]["node_id"]
        self.folder_tag = name_tag(a.root_key, "docs")
        self.file = a.create(self.folder, "report.txt")["node"]["node_id"]
        self.file_tag = name_tag(a.keys[self.folder], "report.txt")
        self.blob_data = os.urandom(4096)
        self.blob = a.upload(self.blob_data)
        status, _ = a.commit(self.file, [self.blob])
        assert status == 201
        self.bob_file = self.bob.create(self.bob.root_id, "mine.txt")["node"]["node_id"]
        self.bob_file_tag = name_tag(self.bob.root_key, "mine.txt")
        self.alice_session = a.client.login_response["session_id"]

    def alice_view(self):
        """What alice can observe of her data, to compare before and after others' attempts."""
        c = self.alice.client
        return [c.get(f"/v1/nodes/{self.alice.root_id}/entries"), c.get(f"/v1/nodes/{self.folder}/entries"),
                c.get(f"/v1/nodes/{self.file}"), c.get(f"/v1/nodes/{self.file}/versions"),
                c.get("/v1/usage"), c.get("/v1/blobs/" + self.blob, raw=True)]

    def database(self):
        return sqlite3.connect(os.path.join(self.server.data_dir, "coffer.db"), timeout=10)

    def grant(self, node_id, grantee, access):
        """Shares a node of alice's with the grantee (POST /v1/shares; the server never opens
        the sealed grant, so any bytes do)."""
        body = {"node_id": node_id, "grantee": grantee, "role": access, "sealed_key": any_b64(64)}
        self.alice.client.expect(201, "POST", "/v1/shares", body)

    def expire_session(self, session_id):
        with self.database() as db:
            db.execute("UPDATE sessions SET expires_at = ? WHERE id = ?", (int(time.time()) - 1, session_id))


def any_b64(size=48):
    return b64(os.urandom(size))


def fernet_like():
    """A well-formed name token the server accepts (it never opens names)."""
    return b64(b"\x80" + os.urandom(71))
