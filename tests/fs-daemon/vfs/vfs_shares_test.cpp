// "Shared with me" (docs/client.md): another user's folder, opened with the key from the grant,
// under `Shared with me/OWNER/NAME`, over one in-memory server that holds both users' trees. A
// writable share takes changes the owner then reads; a read-only one refuses every change before
// anything is queued; nothing crosses a share's boundary; a revoked share leaves nothing in the
// mount, the queue, the journal or the chunk cache.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "test_mount.hpp"

using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::test::names_in;
using coffer::test::pattern_bytes;
using coffer::vfs::kRootIno;

namespace {

constexpr vfs::Caller kUser{1000, 1000};

bool lists(vfs::Vfs& vfs, std::uint64_t ino, const std::string& name) {
  auto names = names_in(vfs, ino);
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The owner's node as the server holds it, everything the server needs to give a grant.
sharing::IncomingShare grant_of(MemoryRemote& remote, TestMount& owner, const std::string& path, const std::string& name,
                                remote::ShareRole role) {
  auto ref = owner.vfs().resolve_path(path);
  REQUIRE(ref.ok());
  auto info = remote.get_node(ref->id);
  REQUIRE(info.ok());
  return {ref->id, "alice", name, role, ref->type == remote::NodeType::folder, ref->key, *info};
}

// A server that answers "not found" about the nodes it is told to deny, as cofferd does for a
// grant that was revoked; everything else goes to the in-memory server.
class DenyingRemote : public remote::RemoteApi {
 public:
  explicit DenyingRemote(MemoryRemote& inner) : inner_(inner) {}
  void deny(const std::string& node_id) {
    std::lock_guard lock(mutex_);
    denied_.insert(node_id);
  }

  Result<remote::NodeInfo> get_node(const std::string& id) override {
    COFFER_TRY_STATUS(allowed(id));
    return inner_.get_node(id);
  }
  Result<remote::EntryPage> list_entries(const std::string& id, const std::optional<std::string>& after,
                                         unsigned limit) override {
    COFFER_TRY_STATUS(allowed(id));
    return inner_.list_entries(id, after, limit);
  }
  Result<remote::NodeInfo> set_attributes(const remote::SetAttributes& request) override {
    COFFER_TRY_STATUS(allowed(request.node_id));
    return inner_.set_attributes(request);
  }
  Status put_blob(const std::string& id, ByteView data) override { return inner_.put_blob(id, data); }
  Result<Bytes> get_blob(const std::string& id) override { return inner_.get_blob(id); }
  Result<std::uint64_t> commit_version(const remote::CommitVersion& request) override {
    COFFER_TRY_STATUS(allowed(request.node_id));
    return inner_.commit_version(request);
  }
  Result<remote::VersionInfo> get_version(const std::string& id, std::optional<std::uint64_t> version) override {
    COFFER_TRY_STATUS(allowed(id));
    return inner_.get_version(id, version);
  }
  Result<std::vector<Status>> batch(const std::vector<remote::BatchOp>& ops,
                                    const std::vector<remote::FolderUpdate>& folders) override {
    for (const auto& folder : folders) COFFER_TRY_STATUS(allowed(folder.node_id));
    return inner_.batch(ops, folders);
  }
  Result<remote::Usage> usage() override { return inner_.usage(); }
  Result<remote::ChangePage> changes(std::optional<std::uint64_t> cursor, std::chrono::seconds wait,
                                     std::stop_token stop) override {
    return inner_.changes(cursor, wait, stop);
  }

 private:
  Status allowed(const std::string& id) {
    std::lock_guard lock(mutex_);
    if (denied_.contains(id)) return make_error(Errc::not_found, "no such node");
    return {};
  }

  MemoryRemote& inner_;
  std::mutex mutex_;
  std::set<std::string> denied_;
};

// Alice (the owner) has `docs/a.txt` (four chunks) and shares `docs` with Bob.
struct Sharing {
  MemoryRemote remote;
  DenyingRemote bob_server{remote};
  TestAccount alice_account = TestAccount::create(remote);
  TestAccount bob_account = TestAccount::create(remote);
  TempDir dir;
  TestMount alice{remote, alice_account, dir.path() / "alice"};
  TestMount bob{bob_server, bob_account, dir.path() / "bob"};
  Bytes content = pattern_bytes(200 * 1024, 7);
  std::uint64_t alice_docs = 0;

  Sharing() {
    auto docs = alice.vfs().mkdir(kRootIno, "docs", 0755, kUser);
    REQUIRE(docs.ok());
    alice_docs = docs->ino;
    alice.write_file(alice_docs, "a.txt", content);
    alice.drain();
    bob.vfs().enable_shares();
  }

  void share(remote::ShareRole role) { bob.vfs().apply_shares({grant_of(remote, alice, "/docs", "docs", role)}); }

  // Bob's `Shared with me/alice/docs`.
  std::uint64_t bob_docs() {
    auto shared = bob.lookup(kRootIno, vfs::kSharedFolderName);
    return bob.lookup(bob.lookup(shared, "alice"), "docs");
  }
};

template <class T>
Errc code_of(const Result<T>& result) {
  REQUIRE_FALSE(result.ok());
  return result.error().code;
}

Errc code_of(const Status& status) {
  REQUIRE_FALSE(status.ok());
  return status.error().code;
}

}  // namespace

TEST_CASE("a writable share is read byte-exact, and its changes reach the owner") {
  Sharing s;
  CHECK_FALSE(lists(s.bob.vfs(), kRootIno, vfs::kSharedFolderName));  // listed while it holds a share
  s.share(remote::ShareRole::write);
  CHECK(lists(s.bob.vfs(), kRootIno, vfs::kSharedFolderName));
  const auto docs = s.bob_docs();
  CHECK(s.bob.read_file(s.bob.lookup(docs, "a.txt")) == s.content);

  const Bytes note = pattern_bytes(5000, 3);
  s.bob.write_file(docs, "b.txt", note);
  auto sub = s.bob.vfs().mkdir(docs, "sub", 0755, kUser);
  REQUIRE(sub.ok());
  REQUIRE(s.bob.vfs().rename(docs, "b.txt", sub->ino, "c.txt", vfs::RenameMode::noreplace).ok());
  REQUIRE(s.bob.vfs().unlink(docs, "a.txt").ok());
  s.bob.drain();

  auto docs_id = s.alice.vfs().resolve_path("/docs");
  REQUIRE(docs_id.ok());
  REQUIRE(s.alice.vfs().refresh_folder(docs_id->id).ok());
  CHECK_FALSE(lists(s.alice.vfs(), s.alice_docs, "a.txt"));
  CHECK(s.alice.read_file(s.alice.lookup(s.alice.lookup(s.alice_docs, "sub"), "c.txt")) == note);
  CHECK(s.bob.vfs().share_count() == 1);
  CHECK(s.bob.vfs().path_of(docs_id->id) == "/Shared with me/alice/docs");
}

TEST_CASE("a read-only share refuses every change before anything is queued") {
  Sharing s;
  s.share(remote::ShareRole::read);
  const auto docs = s.bob_docs();
  const auto file = s.bob.lookup(docs, "a.txt");
  CHECK(s.bob.read_file(file) == s.content);
  const std::uint64_t queued = s.bob.runtime().queue().last_seq();
  auto& vfs = s.bob.vfs();

  CHECK(code_of(vfs.create(docs, "new.txt", 0644, O_WRONLY | O_CREAT, kUser)) == Errc::permission_denied);
  CHECK(code_of(vfs.mkdir(docs, "dir", 0755, kUser)) == Errc::permission_denied);
  CHECK(code_of(vfs.symlink("a.txt", docs, "link", kUser)) == Errc::permission_denied);
  CHECK(code_of(vfs.mknod(docs, "fifo", S_IFIFO | 0644, 0, kUser)) == Errc::permission_denied);
  CHECK(code_of(vfs.link(file, docs, "hard")) == Errc::permission_denied);
  CHECK(code_of(vfs.unlink(docs, "a.txt")) == Errc::permission_denied);
  CHECK(code_of(vfs.rename(docs, "a.txt", docs, "b.txt", vfs::RenameMode::replace)) == Errc::permission_denied);
  CHECK(code_of(vfs.open(file, O_WRONLY)) == Errc::permission_denied);
  CHECK(code_of(vfs.open(file, O_RDONLY | O_TRUNC)) == Errc::permission_denied);
  vfs::SetAttrRequest chmod;
  chmod.mode = 0600;
  CHECK(code_of(vfs.setattr(file, chmod)) == Errc::permission_denied);
  vfs::SetAttrRequest truncate;
  truncate.size = 0;
  CHECK(code_of(vfs.setattr(file, truncate)) == Errc::permission_denied);
  CHECK(code_of(vfs.setxattr(file, "user.x", Bytes{1}, vfs::XattrMode::any)) == Errc::permission_denied);
  CHECK(code_of(vfs.setattr(docs, chmod)) == Errc::permission_denied);

  CHECK(s.bob.runtime().queue().last_seq() == queued);
  auto attr = vfs.getattr(file);
  REQUIRE(attr.ok());
  CHECK((attr->st_mode & 0222) == 0);
  CHECK(s.bob.read_file(file) == s.content);
}

TEST_CASE("Shared with me and its owner folders are made by the mount and take no change") {
  Sharing s;
  s.share(remote::ShareRole::write);
  auto& vfs = s.bob.vfs();
  const auto shared = s.bob.lookup(kRootIno, vfs::kSharedFolderName);
  const auto alice = s.bob.lookup(shared, "alice");
  s.bob.write_file(kRootIno, "mine.txt", Bytes{1, 2, 3});

  CHECK(code_of(vfs.mkdir(kRootIno, vfs::kSharedFolderName, 0755, kUser)) == Errc::already_exists);
  CHECK(code_of(vfs.create(kRootIno, vfs::kSharedFolderName, 0644, O_WRONLY | O_CREAT, kUser)) == Errc::already_exists);
  CHECK(code_of(vfs.rmdir(kRootIno, vfs::kSharedFolderName)) == Errc::permission_denied);
  CHECK(code_of(vfs.rename(kRootIno, vfs::kSharedFolderName, kRootIno, "x", vfs::RenameMode::replace)) ==
        Errc::permission_denied);
  CHECK(code_of(vfs.rename(kRootIno, "mine.txt", kRootIno, vfs::kSharedFolderName, vfs::RenameMode::replace)) ==
        Errc::permission_denied);
  CHECK(code_of(vfs.mkdir(shared, "carol", 0755, kUser)) == Errc::permission_denied);
  CHECK(code_of(vfs.create(alice, "x", 0644, O_WRONLY | O_CREAT, kUser)) == Errc::permission_denied);
  CHECK(code_of(vfs.rmdir(alice, "docs")) == Errc::permission_denied);
  CHECK(code_of(vfs.rename(alice, "docs", alice, "papers", vfs::RenameMode::replace)) == Errc::permission_denied);
  vfs::SetAttrRequest chmod;
  chmod.mode = 0777;
  CHECK(code_of(vfs.setattr(shared, chmod)) == Errc::permission_denied);
  s.bob.drain();

  auto names = names_in(vfs, kRootIno);
  CHECK(std::count(names.begin(), names.end(), std::string(vfs::kSharedFolderName)) == 1);
  CHECK(names_in(vfs, shared) == std::vector<std::string>{".", "..", "alice"});
}

TEST_CASE("renames and links between a share and anything else are EXDEV") {
  Sharing s;
  s.share(remote::ShareRole::write);
  auto& vfs = s.bob.vfs();
  const auto docs = s.bob_docs();
  const auto mine = s.bob.write_file(kRootIno, "mine.txt", Bytes{1, 2, 3});
  const auto theirs = s.bob.lookup(docs, "a.txt");

  CHECK(code_of(vfs.rename(kRootIno, "mine.txt", docs, "mine.txt", vfs::RenameMode::noreplace)) == Errc::cross_device);
  CHECK(code_of(vfs.rename(docs, "a.txt", kRootIno, "a.txt", vfs::RenameMode::noreplace)) == Errc::cross_device);
  CHECK(code_of(vfs.link(mine, docs, "mine.txt")) == Errc::cross_device);
  CHECK(code_of(vfs.link(theirs, kRootIno, "a.txt")) == Errc::cross_device);
}

TEST_CASE("two grants of one name from one owner are told apart, and the second takes the name once the first goes") {
  Sharing s;
  auto photos = s.alice.vfs().mkdir(kRootIno, "photos", 0755, kUser);
  REQUIRE(photos.ok());
  s.alice.write_file(photos->ino, "docs", Bytes{4, 5});
  s.alice.drain();
  s.bob.vfs().apply_shares({grant_of(s.remote, s.alice, "/docs", "docs", remote::ShareRole::read),
                            grant_of(s.remote, s.alice, "/photos/docs", "docs", remote::ShareRole::read)});
  auto alice = s.bob.lookup(s.bob.lookup(kRootIno, vfs::kSharedFolderName), "alice");
  auto names = names_in(s.bob.vfs(), alice);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{".", "..", "docs", "docs (2)"});
  CHECK(s.bob.vfs().share_count() == 2);

  // The first grant goes (as `coffer share rotate` revokes the old tree after granting the new):
  // the second takes the name back.
  const auto second = s.bob.lookup(alice, "docs (2)");
  s.bob.vfs().apply_shares({grant_of(s.remote, s.alice, "/photos/docs", "docs", remote::ShareRole::read)});
  CHECK(names_in(s.bob.vfs(), alice) == std::vector<std::string>{".", "..", "docs"});
  CHECK(s.bob.lookup(alice, "docs") == second);
  CHECK(s.bob.read_file(second) == Bytes{4, 5});
}

TEST_CASE("a revoked share leaves nothing in the mount, the queue, the journal or the chunk cache") {
  Sharing s;
  s.share(remote::ShareRole::write);
  const auto docs = s.bob_docs();
  const auto file = s.bob.lookup(docs, "a.txt");
  CHECK(s.bob.read_file(file) == s.content);
  auto a_id = s.alice.vfs().resolve_path("/docs/a.txt");
  REQUIRE(a_id.ok());
  auto version = s.remote.get_version(a_id->id, std::nullopt);
  REQUIRE(version.ok());
  REQUIRE(version->chunks.size() == 4);
  auto& cache = *s.bob.stores().chunks;
  for (const auto& id : version->chunks) REQUIRE(cache.contains(id));

  // Changes the server has not taken yet: a new file's blobs wait in the journal.
  s.remote.set_offline(true);
  s.bob.write_file(docs, "draft.txt", pattern_bytes(100 * 1024, 9));
  auto open = s.bob.vfs().open(file, O_RDONLY);
  REQUIRE(open.ok());
  const auto journal_dir = s.dir.path() / "bob" / "journal";
  REQUIRE(s.bob.runtime().queue().status().pending_ops > 0);
  REQUIRE_FALSE(std::filesystem::is_empty(journal_dir / "blobs"));

  s.bob.vfs().apply_shares({});
  // An op the sender was trying meanwhile is dropped when that attempt ends.
  (void)s.bob.runtime().drain(std::chrono::steady_clock::now() + std::chrono::seconds(5));

  CHECK(s.bob.vfs().share_count() == 0);
  CHECK(s.bob.runtime().queue().status().pending_ops == 0);
  CHECK(std::filesystem::is_empty(journal_dir / "blobs"));
  CHECK(std::filesystem::file_size(journal_dir / "ops.log") == 8);  // the header only
  for (const auto& id : version->chunks) CHECK_FALSE(cache.contains(id));
  CHECK(names_in(s.bob.vfs(), s.bob.lookup(kRootIno, vfs::kSharedFolderName)) == std::vector<std::string>{".", ".."});
  CHECK(code_of(s.bob.vfs().getattr(docs)) == Errc::permission_denied);
  Bytes buffer(10);
  CHECK(code_of(s.bob.vfs().read(open->fh, 0, buffer)) == Errc::permission_denied);
  CHECK(s.bob.vfs().release(open->fh).ok());
  s.remote.set_offline(false);
  s.bob.drain();
}

TEST_CASE("a share's node the server no longer gives makes the mount read the list of shares again") {
  Sharing s;
  s.share(remote::ShareRole::write);
  int asked = 0;
  s.bob.vfs().set_share_listener([&asked] { ++asked; });
  const auto docs = s.bob_docs();
  CHECK(lists(s.bob.vfs(), docs, "a.txt"));
  auto docs_id = s.alice.vfs().resolve_path("/docs");
  REQUIRE(docs_id.ok());
  s.bob_server.deny(docs_id->id);
  CHECK(asked == 0);
  CHECK(s.bob.vfs().refresh_folder(docs_id->id).ok());
  CHECK(asked == 1);
}

TEST_CASE("an edit of a shared file that its owner changed meanwhile is kept as a conflicted copy beside it") {
  Sharing s;
  s.share(remote::ShareRole::write);
  const auto docs = s.bob_docs();
  const auto file = s.bob.lookup(docs, "a.txt");
  auto mine = s.bob.vfs().open(file, O_WRONLY | O_TRUNC);  // Bob's edit starts from version 1
  REQUIRE(mine.ok());

  const Bytes alices = pattern_bytes(3000, 11);
  auto theirs = s.alice.vfs().open(s.alice.lookup(s.alice_docs, "a.txt"), O_WRONLY | O_TRUNC);
  REQUIRE(theirs.ok());
  REQUIRE(s.alice.vfs().write(theirs->fh, 0, alices, kUser).ok());
  REQUIRE(s.alice.vfs().release(theirs->fh).ok());
  s.alice.drain();

  const Bytes bobs = pattern_bytes(4000, 12);
  REQUIRE(s.bob.vfs().write(mine->fh, 0, bobs, kUser).ok());
  REQUIRE(s.bob.vfs().release(mine->fh).ok());
  s.bob.drain();

  auto names = names_in(s.bob.vfs(), docs);
  auto copy = std::find_if(names.begin(), names.end(),
                           [](const std::string& n) { return n.starts_with("a (conflicted copy "); });
  REQUIRE(copy != names.end());
  CHECK(s.bob.read_file(s.bob.lookup(docs, *copy)) == bobs);
  auto docs_id = s.alice.vfs().resolve_path("/docs");
  REQUIRE(docs_id.ok());
  REQUIRE(s.alice.vfs().refresh_folder(docs_id->id).ok());
  CHECK(s.alice.read_file(s.alice.lookup(s.alice_docs, "a.txt")) == alices);
  CHECK(s.alice.read_file(s.alice.lookup(s.alice_docs, *copy)) == bobs);
}
