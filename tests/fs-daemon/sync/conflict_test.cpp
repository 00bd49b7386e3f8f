// Conflicts kept as copies (docs/client.md, "Conflicts"): two devices of one user over one
// in-memory server. A stale commit leaves the server's version at the name and keeps the edit
// beside it, once, even when replayed after a crash; a stale attribute change is merged; an
// edit of a deleted file brings it back; a remove never deletes a version it had not seen.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "crypto/keys.hpp"
#include "test_mount.hpp"

using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::test::names_in;
using coffer::vfs::kRootIno;

namespace {

constexpr const char* kCopyPrefix = "notes (conflicted copy ";

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

struct TwoDevices {
  MemoryRemote remote;
  TestAccount account = TestAccount::create(remote);
  TempDir dir;
  TestMount laptop{remote, account, dir.path() / "laptop"};
  TestMount desktop{remote, account, dir.path() / "desktop"};

  std::string only_node_id() {
    auto tags = remote.entry_tags(account.root_id);
    REQUIRE(tags.size() == 1);
    return remote.lookup_entry(account.root_id, tags[0])->node.node_id;
  }

  // The node the root's entry `name` names on the server ("" for none): the tag from the root key.
  std::string node_at(const std::string& name) {
    auto root_key = crypto::unwrap_key(account.master_key, account.root_wrapped_key);
    REQUIRE(root_key.ok());
    auto entry = remote.lookup_entry(account.root_id, crypto::name_tag(*root_key, name));
    return entry ? entry->node.node_id : std::string();
  }

  // The names the server holds at the root, as the laptop lists them once it read them again.
  std::vector<std::string> server_names() {
    REQUIRE(laptop.vfs().refresh_folder(account.root_id).ok());
    auto names = names_in(laptop.vfs(), kRootIno);
    names.erase(std::remove_if(names.begin(), names.end(), [](const std::string& n) { return n == "." || n == ".."; }),
                names.end());
    return names;
  }
};

// Replaces a file's content through an open handle, as an editor saving does.
void write_through(TestMount& mount, std::uint64_t fh, const Bytes& content) {
  REQUIRE(mount.vfs().write(fh, 0, content, {1000, 1000}).ok());
  REQUIRE(mount.vfs().flush(fh).ok());
  REQUIRE(mount.vfs().release(fh).ok());
}

void edit(TestMount& mount, const std::string& name, const Bytes& content) {
  auto opened = mount.vfs().open(mount.lookup(kRootIno, name), O_WRONLY | O_TRUNC);
  REQUIRE(opened.ok());
  write_through(mount, opened->fh, content);
}

std::vector<std::string> copies_in(const std::vector<std::string>& names) {
  std::vector<std::string> copies;
  for (const auto& name : names) {
    if (name.starts_with(kCopyPrefix) && name.ends_with(").txt")) copies.push_back(name);
  }
  return copies;
}

std::vector<std::string> root_names(TestMount& mount) {
  auto names = names_in(mount.vfs(), kRootIno);
  names.erase(std::remove_if(names.begin(), names.end(), [](const std::string& n) { return n == "." || n == ".."; }),
              names.end());
  return names;
}

}  // namespace

TEST_CASE("a commit on a version another device replaced keeps the edit as one conflicted copy beside it") {
  TwoDevices d;
  d.laptop.write_file(kRootIno, "notes.txt", text("first"));
  d.laptop.drain();
  // The desktop opened the file before the laptop's save arrived, and saves on top of "first".
  auto held = d.desktop.vfs().open(d.desktop.lookup(kRootIno, "notes.txt"), O_RDWR);
  REQUIRE(held.ok());
  edit(d.laptop, "notes.txt", text("the laptop's text"));
  d.laptop.drain();
  write_through(d.desktop, held->fh, text("the desktop's text"));
  d.desktop.drain();

  auto names = d.server_names();
  REQUIRE(names.size() == 2);
  auto copies = copies_in(names);
  REQUIRE(copies.size() == 1);
  CHECK(d.laptop.read_file(d.laptop.lookup(kRootIno, "notes.txt")) == text("the laptop's text"));
  CHECK(d.laptop.read_file(d.laptop.lookup(kRootIno, copies[0])) == text("the desktop's text"));
  // The desktop learned both from its own sender (the feed would skip its own changes).
  CHECK(root_names(d.desktop) == names);
  CHECK(d.desktop.read_file(d.desktop.lookup(kRootIno, "notes.txt")) == text("the laptop's text"));
  CHECK(d.desktop.read_file(d.desktop.lookup(kRootIno, copies[0])) == text("the desktop's text"));
  auto status = d.desktop.runtime().queue().status();
  CHECK(status.set_aside == 0);
  REQUIRE(status.conflicts == 1);
  CHECK(status.latest_conflicts.at(0).name == copies[0]);
  CHECK(status.latest_conflicts.at(0).kind == "edited");
}

TEST_CASE("an attribute change that meets another device's new version is merged, not copied") {
  TwoDevices d;
  d.laptop.write_file(kRootIno, "notes.txt", text("first"));
  d.laptop.drain();
  const std::uint64_t ino = d.desktop.lookup(kRootIno, "notes.txt");
  vfs::SetAttrRequest chmod;
  chmod.mode = 0600;
  REQUIRE(d.desktop.vfs().setattr(ino, chmod).ok());
  d.desktop.drain();  // the desktop's sender now knows the node's revision
  edit(d.laptop, "notes.txt", text("the laptop's longer text"));
  d.laptop.drain();
  chmod.mode = 0640;
  REQUIRE(d.desktop.vfs().setattr(ino, chmod).ok());
  d.desktop.drain();

  CHECK(d.server_names() == std::vector<std::string>{"notes.txt"});
  CHECK(d.desktop.runtime().queue().status().conflicts == 0);
  const std::uint64_t laptop_ino = d.laptop.lookup(kRootIno, "notes.txt");
  REQUIRE(d.laptop.vfs().refresh_node(d.only_node_id()).ok());
  auto st = d.laptop.vfs().getattr(laptop_ino);
  REQUIRE(st.ok());
  CHECK((st->st_mode & 07777) == 0640);
  CHECK(st->st_size == static_cast<off_t>(text("the laptop's longer text").size()));
  CHECK(d.laptop.read_file(laptop_ino) == text("the laptop's longer text"));
}

TEST_CASE("an edit of a file deleted on another device brings it back under its name") {
  TwoDevices d;
  REQUIRE(d.laptop.vfs().mkdir(kRootIno, "docs", 0755, {1000, 1000}).ok());
  const std::uint64_t docs = d.laptop.lookup(kRootIno, "docs");
  d.laptop.write_file(kRootIno, "notes.txt", text("first"));
  d.laptop.write_file(docs, "plan.txt", text("plan"));
  d.laptop.drain();
  auto notes = d.desktop.vfs().open(d.desktop.lookup(kRootIno, "notes.txt"), O_RDWR);
  auto plan = d.desktop.vfs().open(d.desktop.lookup(d.desktop.lookup(kRootIno, "docs"), "plan.txt"), O_RDWR);
  REQUIRE(notes.ok());
  REQUIRE(plan.ok());
  const std::string old_id = d.node_at("notes.txt");
  REQUIRE_FALSE(old_id.empty());
  REQUIRE(d.laptop.vfs().unlink(kRootIno, "notes.txt").ok());
  REQUIRE(d.laptop.vfs().unlink(docs, "plan.txt").ok());
  REQUIRE(d.laptop.vfs().rmdir(kRootIno, "docs").ok());
  d.laptop.drain();
  write_through(d.desktop, notes->fh, text("kept edit"));
  write_through(d.desktop, plan->fh, text("kept plan"));
  d.desktop.drain();

  // notes.txt comes back in its folder under its name; plan.txt, whose folder is gone too, at
  // the root.
  auto names = d.server_names();
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"notes.txt", "plan.txt"});
  CHECK(d.laptop.read_file(d.laptop.lookup(kRootIno, "notes.txt")) == text("kept edit"));
  CHECK(d.laptop.read_file(d.laptop.lookup(kRootIno, "plan.txt")) == text("kept plan"));
  CHECK(d.node_at("notes.txt") != old_id);
  CHECK(d.desktop.read_file(d.desktop.lookup(kRootIno, "notes.txt")) == text("kept edit"));
  auto status = d.desktop.runtime().queue().status();
  CHECK(status.conflicts == 2);
  CHECK(status.set_aside == 0);
}

TEST_CASE("a remove of a file another device edited since leaves the file; one after this device's own edit removes it") {
  TwoDevices d;
  d.laptop.write_file(kRootIno, "notes.txt", text("first"));
  d.laptop.write_file(kRootIno, "mine.txt", text("mine"));
  d.laptop.drain();
  REQUIRE(d.desktop.lookup(kRootIno, "notes.txt") != 0);  // seen at version 1
  edit(d.laptop, "notes.txt", text("the laptop's edit"));
  d.laptop.drain();
  REQUIRE(d.desktop.vfs().unlink(kRootIno, "notes.txt").ok());
  // The desktop's own edit, then its remove, before either is sent.
  edit(d.desktop, "mine.txt", text("edited here"));
  REQUIRE(d.desktop.vfs().unlink(kRootIno, "mine.txt").ok());
  d.desktop.drain();

  CHECK(d.server_names() == std::vector<std::string>{"notes.txt"});
  CHECK(d.laptop.read_file(d.laptop.lookup(kRootIno, "notes.txt")) == text("the laptop's edit"));
  // The desktop shows the file again, with the version it had not seen.
  CHECK(root_names(d.desktop) == std::vector<std::string>{"notes.txt"});
  CHECK(d.desktop.read_file(d.desktop.lookup(kRootIno, "notes.txt")) == text("the laptop's edit"));
  CHECK(d.desktop.runtime().queue().status().set_aside == 0);
}

TEST_CASE("a conflicted commit replayed after a crash finds the copy it made instead of making another") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  const auto journal = dir.path() / "desktop" / "journal";
  const auto saved = dir.path() / "saved";
  {
    TestMount laptop(remote, account, dir.path() / "laptop");
    TestMount desktop(remote, account, dir.path() / "desktop");
    laptop.write_file(kRootIno, "notes.txt", text("first"));
    laptop.drain();
    auto held = desktop.vfs().open(desktop.lookup(kRootIno, "notes.txt"), O_RDWR);
    REQUIRE(held.ok());
    edit(laptop, "notes.txt", text("the laptop's text"));
    laptop.drain();
    Bytes first(16);
    REQUIRE(desktop.vfs().read(held->fh, 0, first).ok());  // cached: the write below reads it offline
    remote.set_offline(true);
    write_through(desktop, held->fh, text("the desktop's text"));
    std::filesystem::create_directories(saved);
    std::filesystem::copy_file(journal / "ops.log", saved / "ops.log");  // the op, before any ack
    std::filesystem::copy_file(journal / "acked", saved / "acked");
    remote.set_offline(false);
    desktop.drain();
    REQUIRE(desktop.runtime().queue().status().conflicts == 1);
  }
  REQUIRE(remote.entry_tags(account.root_id).size() == 2);
  const std::uint64_t root_revision = remote.folder_revision(account.root_id);
  std::uint64_t acked_before = 0;
  std::ifstream(saved / "acked") >> acked_before;
  // A crash after the copy was made and before `acked` was written: the op comes back.
  std::filesystem::copy_file(saved / "ops.log", journal / "ops.log", std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(saved / "acked", journal / "acked", std::filesystem::copy_options::overwrite_existing);
  {
    TestMount replay(remote, account, dir.path() / "desktop");
    replay.drain();
    CHECK(replay.runtime().queue().acked_seq() > acked_before);  // the op came back and went through
    auto status = replay.runtime().queue().status();
    CHECK(status.conflicts == 1);
    CHECK(status.set_aside == 0);
  }
  CHECK(remote.entry_tags(account.root_id).size() == 2);
  CHECK(remote.folder_revision(account.root_id) == root_revision);
  TestMount other(remote, account, dir.path() / "other");
  auto names = root_names(other);
  auto copies = copies_in(names);
  REQUIRE(copies.size() == 1);
  CHECK(other.read_file(other.lookup(kRootIno, copies[0])) == text("the desktop's text"));
  CHECK(other.read_file(other.lookup(kRootIno, "notes.txt")) == text("the laptop's text"));
}
