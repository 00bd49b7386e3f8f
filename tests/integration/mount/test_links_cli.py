"""`coffer link` on a real cofferd and a real mount, opened by an outsider (link_reader.py:
Python's `cryptography` written from the docs, no account; and the browser's link_seal.js
under Node, open_link.mjs): a file link reads back byte-exact and the server never holds the
URL's secret; a folder link lists and reads what is below and
nothing else; a password link opens with its password only; --max-downloads 1 then 410; an
expired link is 410; a revoked one 404, its token too; a grantee links with the manage
right only, and the link ends when the right does; `coffer link list` shows paths,
expiry, downloads and passwords; bad command lines exit 2, failures 1."""

import json
import os
import sqlite3
import subprocess
import time
import unittest

from link_reader import LinkReader, LinkRefused, b64, unb64
from mount_helper import PASSWORD, Device, MountedCloud, eventually, read, server_holds, write


def open_in_js(url, password, info, opened):
    """The browser module's link_seal.js (under Node) opening what the server handed out."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "open_link.mjs")
    request = json.dumps({"url": url, "password": password, "info": info, "opened": opened})
    result = subprocess.run(["node", script], input=request, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


class LinksCliTest(unittest.TestCase):
    def link(self, cloud, *args):
        made = json.loads(cloud.device.coffer("link", *args, "--json").stdout)
        self.assertTrue(made["url"].startswith(f"http://127.0.0.1:{cloud.server.port}/l/"), made["url"])
        return made

    def links(self, cloud):
        return {line["link_id"]: line for line in json.loads(cloud.device.coffer("link", "list", "--json").stdout)["links"]}

    def test_a_file_link_reads_back_byte_exact_and_the_server_never_sees_the_secret(self):
        with MountedCloud() as cloud:
            data = os.urandom(2 * 1024 * 1024 + 12345)  # three chunks, the last one short
            write(cloud.path("report.bin"), data)
            made = self.link(cloud, cloud.path("report.bin"), "--expires", "2d")
            self.assertEqual((made["path"], made["kind"], made["password"], made["max_downloads"]),
                             ("/report.bin", "file", False, None))
            self.assertAlmostEqual(made["expires_at"], time.time() + 2 * 86400, delta=120)

            reader = LinkReader(made["url"])
            status, info = reader.info()
            self.assertEqual(status, 200, info)
            self.assertEqual((info["kind"], info["password"], info["owner"], info["downloads"]), ("file", None, "alice", 0))
            opened = reader.open()
            self.assertEqual(reader.read_file(), data, "the outsider reads the file byte-exact")
            self.assertEqual(open_in_js(made["url"], None, info, opened)["key"], b64(reader.key), "and so does the browser's code")

            # The token reads the linked file only.
            status, _ = reader.request("GET", "/v1/nodes/" + reader.node_id)
            self.assertEqual(status, 200)
            status, _ = reader.request("GET", "/v1/account")
            self.assertIn(status, (401, 403))

            secret = unb64(made["url"].split("#", 1)[1])
            fragment = made["url"].split("#", 1)[1].encode()
            self.assertEqual(server_holds(cloud, [secret, fragment]), set(), "the URL's secret never reached the server")

            line = self.links(cloud)[made["link_id"]]
            self.assertEqual((line["path"], line["downloads"], line["password"], line["kind"]),
                             ("/report.bin", 1, False, "file"))
            table = cloud.device.coffer("link", "list").stdout
            self.assertIn("/report.bin", table)
            self.assertIn(made["link_id"], table)

            # Plain output: the URL alone on stdout; a relative path inside the mount works too.
            plain = cloud.device.coffer("link", "/report.bin", "--expires", "never", "--max-downloads", "3")
            self.assertRegex(plain.stdout.strip(), r"^http://127\.0\.0\.1:\d+/l/[A-Za-z0-9_][A-Za-z0-9_-]{21}==#[A-Za-z0-9_-]{43}=$")
            self.assertIn("with no expiry, for 3 openings", plain.stderr)
            self.assertEqual(LinkReader(plain.stdout.strip()).info()[1]["max_downloads"], 3)

    def test_a_folder_link_reads_below_it_and_nothing_else(self):
        with MountedCloud() as cloud:
            os.makedirs(cloud.path("Share", "inner"))
            write(cloud.path("Share", "a.txt"), b"alpha\n")
            write(cloud.path("Share", "inner", "b.bin"), os.urandom(70000))
            write(cloud.path("private.txt"), b"not for the link\n")
            made = self.link(cloud, cloud.path("Share"), "--base-url", f"http://127.0.0.1:{cloud.server.port}/")
            self.assertEqual(made["kind"], "folder")
            reader = LinkReader(made["url"])
            reader.open()
            top = reader.list_folder(reader.node_id, reader.key)
            self.assertEqual(sorted(top), ["a.txt", "inner"])
            entry, key = top["a.txt"]
            self.assertEqual(reader.read_node(entry["node"]["node_id"], key), b"alpha\n")
            inner_entry, inner_key = top["inner"]
            below = reader.list_folder(inner_entry["node"]["node_id"], inner_key)
            b_entry, b_key = below["b.bin"]
            with open(cloud.path("Share", "inner", "b.bin"), "rb") as f:
                self.assertEqual(reader.read_node(b_entry["node"]["node_id"], b_key), f.read())

            # The root folder and the file beside the linked folder are out of the token's reach.
            with sqlite3.connect(os.path.join(cloud.server.data_dir, "coffer.db"), timeout=10) as db:
                (root_id,) = db.execute("SELECT parent_id FROM entries WHERE node_id = ?", (reader.node_id,)).fetchone()
                beside = [node for (node,) in db.execute("SELECT node_id FROM entries WHERE parent_id = ?", (root_id,))
                          if node != reader.node_id]
            self.assertEqual(len(beside), 1, "private.txt")
            for path in [f"/v1/nodes/{root_id}", f"/v1/nodes/{root_id}/entries", f"/v1/nodes/{beside[0]}",
                         f"/v1/nodes/{beside[0]}/versions/current"]:
                self.assertIn(reader.request("GET", path)[0], (403, 404), path)

    def test_a_password_link_opens_with_its_password_only(self):
        with MountedCloud() as cloud:
            data = b"under a password\n" * 1000
            write(cloud.path("secret.txt"), data)
            password_file = os.path.join(cloud.root, "link-password")
            with open(password_file, "w") as f:
                f.write("tr0ub4dor & 3\n")
            made = self.link(cloud, "/secret.txt", "--password-file", password_file)
            self.assertTrue(made["password"])
            status, info = LinkReader(made["url"]).info()
            self.assertEqual(status, 200)
            self.assertEqual(len(unb64(info["password"]["salt"])), 16)
            self.assertEqual(info["password"]["kdf"]["algorithm"], "scrypt")

            for wrong in ["tr0ub4dor & 4", "", None]:
                with self.assertRaises(LinkRefused, msg=repr(wrong)):
                    LinkReader(made["url"], password=wrong).open()
            # Another URL secret with the right password opens nothing either.
            forged = made["url"].split("#")[0] + "#" + "A" * 43 + "="
            with self.assertRaises(LinkRefused):
                LinkReader(forged, password="tr0ub4dor & 3").open()

            reader = LinkReader(made["url"], password="tr0ub4dor & 3")
            opened = reader.open()
            self.assertEqual(reader.read_file(), data)
            # The browser's code opens the same sealed key to the same node key, and refuses it
            # with a wrong password.
            opened_js = open_in_js(made["url"], "tr0ub4dor & 3", info, opened)
            self.assertEqual(opened_js, {"kind": "file", "node_id": reader.node_id, "key": b64(reader.key)})
            self.assertEqual(open_in_js(made["url"], "tr0ub4dor & 4", info, opened), {"error": "integrity"})
            self.assertTrue(self.links(cloud)[made["link_id"]]["password"])
            self.assertIn("yes", cloud.device.coffer("link", "list").stdout)

            # An empty password file is refused before anything is made.
            with open(password_file, "w") as f:
                f.write("\n")
            empty = cloud.device.coffer("link", "/secret.txt", "--password-file", password_file, check=False)
            self.assertEqual(empty.returncode, 1, empty.stderr)
            self.assertIn("empty", empty.stderr)

    def test_max_downloads_expiry_and_revocation(self):
        with MountedCloud() as cloud:
            write(cloud.path("once.txt"), b"once\n")
            once = self.link(cloud, "/once.txt", "--max-downloads", "1")
            reader = LinkReader(once["url"])
            reader.open()
            self.assertEqual(reader.read_file(), b"once\n")
            with self.assertRaises(LinkRefused) as refused:
                LinkReader(once["url"]).open()
            self.assertEqual(refused.exception.status, 410)
            self.assertEqual(LinkReader(once["url"]).info()[0], 410)
            line = self.links(cloud)[once["link_id"]]
            self.assertEqual((line["downloads"], line["max_downloads"]), (1, 1))
            self.assertIn("1/1", cloud.device.coffer("link", "list").stdout)

            short = self.link(cloud, "/once.txt", "--expires", "1s")
            eventually(self, "the link expires", lambda: LinkReader(short["url"]).info()[0] == 410, 10, poll=0.2)

            kept = self.link(cloud, "/once.txt")
            opened = LinkReader(kept["url"])
            opened.open()
            revoked = cloud.device.coffer("link", "revoke", kept["link_id"])
            self.assertIn("Revoked", revoked.stdout)
            self.assertEqual(LinkReader(kept["url"]).info()[0], 404)
            with self.assertRaises(LinkRefused) as refused:
                LinkReader(kept["url"]).open()
            self.assertEqual(refused.exception.status, 404)
            with self.assertRaises(LinkRefused) as refused:
                opened.read_file()
            self.assertIn(refused.exception.status, (401, 404), "the token of a revoked link reads nothing")
            self.assertNotIn(kept["link_id"], self.links(cloud))
            again = cloud.device.coffer("link", "revoke", kept["url"], check=False)
            self.assertEqual(again.returncode, 1, "revoking twice is the command's failure")
            self.assertIn("no link", again.stderr)

    def test_a_grantee_links_with_manage_only_and_the_link_ends_with_the_right(self):
        with MountedCloud() as cloud:
            alice = cloud.device
            os.mkdir(alice.path("Garden"))
            write(alice.path("Garden", "plan.txt"), b"tomatoes\n")
            for user in ("bob", "carol"):
                cloud.server.add_user(user, PASSWORD)
            bob = Device(cloud.server, "bob", cloud.root, "bob")
            carol = Device(cloud.server, "carol", cloud.root, "carol")
            for device in (bob, carol):
                cloud.devices.append(device)
                device.login().mount()
            alice.coffer("share", alice.path("Garden"), "bob", "--manage")
            alice.coffer("share", alice.path("Garden"), "carol", "--read")
            for device in (bob, carol):
                shared = device.path("Shared with me", "alice", "Garden", "plan.txt")
                eventually(self, device.user + " sees the share",
                           lambda: os.path.exists(shared) and read(shared) == b"tomatoes\n", 15)

            refused = carol.coffer("link", "/Shared with me/alice/Garden/plan.txt", check=False)
            self.assertEqual(refused.returncode, 1, refused.stderr)
            self.assertIn("manage", refused.stderr)

            made = json.loads(bob.coffer("link", "/Shared with me/alice/Garden/plan.txt", "--json").stdout)
            self.assertEqual(made["path"], "/Shared with me/alice/Garden/plan.txt")
            reader = LinkReader(made["url"])
            self.assertEqual(reader.info()[1]["owner"], "bob")
            reader.open()
            self.assertEqual(reader.read_file(), b"tomatoes\n")
            bobs = json.loads(bob.coffer("link", "list", "--json").stdout)["links"]
            self.assertEqual([line["path"] for line in bobs], ["/Shared with me/alice/Garden/plan.txt"])
            self.assertEqual(self.links(cloud), {}, "bob's link is not alice's")

            # Bob loses the manage right: his link stops working.
            alice.coffer("share", alice.path("Garden"), "bob", "--read")
            self.assertEqual(LinkReader(made["url"]).info()[0], 404)

    def test_bad_command_lines_exit_2_and_failures_1(self):
        with MountedCloud() as cloud:
            write(cloud.path("f.txt"), b"f\n")
            os.symlink("f.txt", cloud.path("s"))
            for args in [["link"], ["link", "/f.txt", "--expires", "5x"], ["link", "/f.txt", "--expires", "0d"],
                         ["link", "/f.txt", "--max-downloads", "0"], ["link", "revoke"], ["link", "revoke", "nope"],
                         ["link", "/f.txt", "--password", "--password-file", "/dev/null"],
                         ["link", "/f.txt", "--base-url", "cloud.example.org"]]:
                result = cloud.device.coffer(*args, check=False)
                self.assertEqual(result.returncode, 2, f"{args}: {result.stderr}")
            for args in [["link", "/"], ["link", "/missing.txt"], ["link", "/s"]]:
                result = cloud.device.coffer(*args, check=False)
                self.assertEqual(result.returncode, 1, f"{args}: {result.stderr}")
                self.assertTrue(result.stderr.startswith("coffer link: "), result.stderr)
            # A password asked for without a terminal is the command's failure, not a hang.
            result = cloud.device.coffer("link", "/f.txt", "--password", check=False)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertEqual(self.links(cloud), {}, "no failed command left a link behind")


if __name__ == "__main__":
    unittest.main()
