#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "history/history.hpp"
#include "test_mount.hpp"
#include "vfs/entry_codec.hpp"

using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::vfs::kRootIno;

namespace {

// The trash as the server would list it: items made here, sealed as a mount seals entries.
class FakeTrash : public remote::HistoryApi {
 public:
  struct Made {
    std::string id;
    crypto::FernetKey key;
  };

  // A node trashed from `folder` (its id and key) under `name`.
  Made add(const std::string& folder_id, const crypto::FernetKey& folder_key, const std::string& name,
           remote::NodeType type, bool parent_in_trash, std::int64_t trashed_at) {
    Made made{crypto::hex_encode(crypto::random_bytes(16)), crypto::FernetKey::generate()};
    crypto::AttributeRecord record;
    record.node_id = made.id;
    record.revision = 1;
    record.attributes.mode = (type == remote::NodeType::folder ? S_IFDIR | 0755 : S_IFREG | 0644);
    remote::TrashItem item;
    item.node.node_id = made.id;
    item.node.type = type;
    item.node.attributes = crypto::seal_attribute_record(made.key, record);
    item.node.attributes_revision = 1;
    item.node.nlink = 0;
    vfs::Node folder(folder_id, remote::NodeType::folder, folder_key);
    item.entry = vfs::seal_entry(folder, name, made.id, made.key);
    item.parent_in_trash = parent_in_trash;
    item.trashed_at = trashed_at;
    items_.push_back(std::move(item));
    return made;
  }

  Result<std::vector<remote::VersionSummary>> list_versions(const std::string&) override { return unsupported(); }
  Result<remote::TrashPage> list_trash(const std::optional<std::string>&, unsigned) override {
    return remote::TrashPage{items_, std::nullopt};
  }
  Result<std::uint64_t> empty_trash(std::optional<std::int64_t>) override { return unsupported(); }
  Result<remote::EntryPage> list_entries_at(const std::string&, std::int64_t, const std::optional<std::string>&,
                                            unsigned) override {
    return unsupported();
  }

 private:
  static Error unsupported() { return make_error(Errc::unsupported, "not in this test"); }
  std::vector<remote::TrashItem> items_;
};

const history::TrashEntry* find(const std::vector<history::TrashEntry>& entries, const std::string& id) {
  for (const auto& entry : entries) {
    if (entry.item.node.node_id == id) return &entry;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a trashed item's name and path open through its trashed folders up to a live one") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount mount(remote, account, dir.path() / "a");
  REQUIRE(mount.vfs().mkdir(kRootIno, "docs", 0755, {0, 0}).ok());
  mount.drain();
  auto docs = mount.vfs().resolve_path("/docs");
  REQUIRE(docs.ok());

  FakeTrash trash;
  // Listed child first: the order of the server's answer (node ids) says nothing of the tree.
  auto projects = trash.add(docs->id, docs->key, "projects", remote::NodeType::folder, false, 300);
  auto old = trash.add(projects.id, projects.key, "old", remote::NodeType::folder, true, 200);
  auto file = trash.add(old.id, old.key, "plan.txt", remote::NodeType::file, true, 100);
  auto lost_folder = crypto::FernetKey::generate();
  auto orphan = trash.add(crypto::hex_encode(crypto::random_bytes(16)), lost_folder, "orphan.txt",
                          remote::NodeType::file, true, 50);

  history::History history({remote, remote, trash, mount.vfs(), *mount.stores().guard, mount.runtime().queue()});
  auto entries = history.trash();
  REQUIRE(entries.ok());
  REQUIRE(entries->size() == 4);
  CHECK(find(*entries, projects.id)->path == "/docs/projects");
  CHECK(find(*entries, old.id)->path == "/docs/projects/old");
  CHECK(find(*entries, file.id)->path == "/docs/projects/old/plan.txt");
  CHECK(find(*entries, file.id)->name == "plan.txt");
  REQUIRE(find(*entries, file.id)->key);
  CHECK(std::ranges::equal(find(*entries, file.id)->key->raw(), file.key.raw()));
  // Its folder is neither live nor in the trash (purged): no key, no name, an error instead.
  CHECK(find(*entries, orphan.id)->path.empty());
  CHECK_FALSE(find(*entries, orphan.id)->key);
  CHECK_FALSE(find(*entries, orphan.id)->error.empty());
}

TEST_CASE("a trashed item whose folder lives but was never listed by the mount is found by listing the tree") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  {
    TestMount writer(remote, account, dir.path() / "a");
    auto a = writer.vfs().mkdir(kRootIno, "a", 0755, {0, 0});
    REQUIRE(a.ok());
    REQUIRE(writer.vfs().mkdir(a->ino, "b", 0755, {0, 0}).ok());
    writer.drain();
  }
  TestMount reader(remote, account, dir.path() / "b");
  auto b = reader.vfs().resolve_path("/a/b");
  REQUIRE(b.ok());
  FakeTrash trash;
  auto gone = trash.add(b->id, b->key, "gone.txt", remote::NodeType::file, false, 10);
  TestMount fresh(remote, account, dir.path() / "c");  // knows only the root
  history::History history({remote, remote, trash, fresh.vfs(), *fresh.stores().guard, fresh.runtime().queue()});
  auto entries = history.trash();
  REQUIRE(entries.ok());
  CHECK(find(*entries, gone.id)->path == "/a/b/gone.txt");
}
