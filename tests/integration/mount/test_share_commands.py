"""The share commands on a real cofferd and real mounts: `coffer whois` remembers a key on first
sight and `coffer trust` confirms one; a server that swaps a user's public key is caught by
`whois`, by `share` (nothing is shared) and by the grantee's mount (the grant is left out);
`coffer share` and `coffer shares` on both sides with roles and paths; `coffer share rotate`
gives the shared tree new nodes and keys, makes the grants again and trashes the old tree; a
grantee lists, restores and trashes versions of a shared file and restores it from the trash."""

import base64
import json
import os
import sqlite3
import unittest

from mount_helper import PASSWORD, Device, MountedCloud, eventually, read, server_holds, write


def db(cloud):
    return sqlite3.connect(os.path.join(cloud.server.data_dir, "coffer.db"), timeout=10)


def node_ids_below(cloud, folder_id):
    """The node ids of a folder's live subtree, from the server's database."""
    with db(cloud) as conn:
        found, pending = [], [folder_id]
        while pending:
            parent = pending.pop()
            for (child,) in conn.execute("SELECT node_id FROM entries WHERE parent_id = ?", (parent,)):
                found.append(child)
                pending.append(child)
        return found


class ShareCommandsTest(unittest.TestCase):
    def user_device(self, cloud, user, mount=True):
        cloud.server.add_user(user, PASSWORD)
        device = Device(cloud.server, user, cloud.root, user)
        cloud.devices.append(device)
        device.login()
        return device.mount() if mount else device

    def shares(self, device):
        return json.loads(device.coffer("shares", "--json").stdout)

    def test_known_keys_catch_a_swapped_key(self):
        with MountedCloud() as cloud:
            alice = cloud.device
            bob = self.user_device(cloud, "bob", mount=False)
            first = json.loads(alice.coffer("whois", "bob", "--json").stdout)
            self.assertIn("first seen", first["state"])
            own = json.loads(bob.coffer("whois", "bob", "--json").stdout)
            self.assertEqual(own["fingerprint"], first["fingerprint"], "bob reads alice the same fingerprint")
            again = json.loads(alice.coffer("whois", "bob", "--json").stdout)
            self.assertIn("saw before", again["state"])

            # The server now hands out its own key as bob's.
            with db(cloud) as conn:
                (real,) = conn.execute("SELECT public_key FROM users WHERE name = 'bob'").fetchone()
                conn.execute("UPDATE users SET public_key = ? WHERE name = 'bob'",
                             (base64.urlsafe_b64encode(os.urandom(32)).decode(),))
            swapped = alice.coffer("whois", "bob", check=False)
            self.assertNotEqual(swapped.returncode, 0)
            self.assertIn("different public key for bob", swapped.stderr)
            self.assertIn(first["fingerprint"], swapped.stderr)

            os.mkdir(alice.path("Photos"))
            refused = alice.coffer("share", alice.path("Photos"), "bob", "--read", check=False)
            self.assertNotEqual(refused.returncode, 0)
            self.assertIn("different public key for bob", refused.stderr)
            self.assertEqual(self.shares(alice)["outgoing"], [], "nothing was shared under a swapped key")

            # trust wants the fingerprint of the key the server gives now.
            wrong = alice.coffer("trust", "bob", first["fingerprint"], check=False)
            self.assertNotEqual(wrong.returncode, 0)
            self.assertIn("nothing was trusted", wrong.stderr)
            with db(cloud) as conn:
                conn.execute("UPDATE users SET public_key = ? WHERE name = 'bob'", (real,))
            alice.coffer("trust", "bob", first["fingerprint"].replace(" ", "").upper())
            trusted = json.loads(alice.coffer("whois", "bob", "--json").stdout)
            self.assertIn("checked with them", trusted["state"])

    def test_share_lists_on_both_sides_and_rotate_renews_every_node(self):
        with MountedCloud() as cloud:
            alice = cloud.device
            bob = self.user_device(cloud, "bob")
            os.makedirs(alice.path("Projects", "Garden", "plans"))
            write(alice.path("Projects", "Garden", "plans", "beds.txt"), b"tomatoes by the wall\n")
            write(alice.path("Projects", "Garden", "budget.txt"), b"seeds 40\n")
            os.symlink("plans/beds.txt", alice.path("Projects", "Garden", "beds"))
            alice.sync()

            made = alice.coffer("share", alice.path("Projects", "Garden"), "bob", "--write")
            self.assertIn("first time", made.stdout)
            outgoing = self.shares(alice)["outgoing"]
            self.assertEqual([(s["path"], s["grantee"], s["role"], s["error"]) for s in outgoing],
                             [("/Projects/Garden", "bob", "write", "")])
            incoming = self.shares(bob)["incoming"]
            self.assertEqual([(s["path"], s["owner"], s["role"], s["error"]) for s in incoming],
                             [("/Shared with me/alice/Garden", "alice", "write", "")])
            old_root = outgoing[0]["node"]
            old_nodes = node_ids_below(cloud, old_root)
            self.assertEqual(len(old_nodes), 4)

            rotated = alice.coffer("share", "rotate", "/Projects/Garden")
            self.assertIn("1 grant was made again", rotated.stdout)
            outgoing = self.shares(alice)["outgoing"]
            self.assertEqual([(s["path"], s["grantee"], s["role"]) for s in outgoing],
                             [("/Projects/Garden", "bob", "write")])
            new_root = outgoing[0]["node"]
            new_nodes = node_ids_below(cloud, new_root)
            self.assertNotEqual(new_root, old_root)
            self.assertEqual(len(new_nodes), 4)
            self.assertFalse(set(new_nodes) & set(old_nodes), "every node below has a new id and key")
            with db(cloud) as conn:
                trashed = {row[0] for row in conn.execute("SELECT id FROM nodes WHERE trashed_at IS NOT NULL")}
                grants = {row[0] for row in conn.execute("SELECT node_id FROM grants")}
            self.assertIn(old_root, trashed)
            self.assertEqual(grants, {new_root}, "the old tree keeps no grant")
            self.assertEqual(read(alice.path("Projects", "Garden", "plans", "beds.txt")), b"tomatoes by the wall\n")
            self.assertEqual(os.readlink(alice.path("Projects", "Garden", "beds")), "plans/beds.txt")
            self.assertEqual(sorted(os.listdir(alice.path("Projects"))), ["Garden"], "no temporary name is left")
            eventually(self, "bob reads the rotated share",
                       lambda: read(bob.path("Shared with me", "alice", "Garden", "budget.txt")) == b"seeds 40\n", 10)
            write(bob.path("Shared with me", "alice", "Garden", "notes from bob.txt"), b"water on sundays\n")
            bob.sync()
            alice.sync()
            self.assertEqual(server_holds(cloud, [b"Garden", b"tomatoes by the wall", b"budget", b"beds.txt",
                                                  b"plans", b"notes from bob", b"water on sundays"]), set(),
                             "the server holds no name or content of the share in the clear")

    def test_versions_and_trash_reach_into_a_share(self):
        with MountedCloud() as cloud:
            alice = cloud.device
            bob = self.user_device(cloud, "bob")
            os.mkdir(alice.path("G"))
            for data in (b"one", b"second"):
                write(alice.path("G", "f.txt"), data)
                alice.sync()
            alice.coffer("share", alice.path("G"), "bob", "--write")
            shared = bob.path("Shared with me", "alice", "G", "f.txt")
            eventually(self, "bob reads the share", lambda: os.path.exists(shared) and read(shared) == b"second", 10)
            listed = json.loads(bob.coffer("versions", shared, "--json").stdout)["versions"]
            self.assertEqual([(v["version"], v["size"], v["error"]) for v in listed], [(1, 3, ""), (2, 6, "")])
            bob.coffer("restore", shared, "--version", 1)
            self.assertEqual(read(shared), b"one")
            os.remove(shared)
            bob.sync()
            items = json.loads(bob.coffer("trash", "list", "--json").stdout)["items"]
            self.assertEqual([(i["path"], i["error"]) for i in items], [("/Shared with me/alice/G/f.txt", "")])
            bob.coffer("trash", "restore", "/Shared with me/alice/G/f.txt")
            self.assertEqual(read(shared), b"one")
            eventually(self, "alice sees it back", lambda: os.path.exists(alice.path("G", "f.txt"))
                       and read(alice.path("G", "f.txt")) == b"one", 10)


if __name__ == "__main__":
    unittest.main()
