// The trash on the services without HTTP (docs/api.md, "Trash"): listing, restoring any node
// type by a link, purging, emptying and expiry, the usage split and versions' devices.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/server/support/service_world.hpp"

using namespace coffer::server;
namespace protocol = coffer::protocol;
using coffer::Errc;

namespace {

using coffer::test::blob_id_of;
using coffer::test::hex_id;
const std::string kKey = coffer::test::kTestKey;

// alice's root holds folder F ('f...') with file X ('1...') in it, committed with one blob.
struct World : coffer::test::ServiceWorld {
  const std::string folder_id = hex_id('f');
  const std::string file_id = hex_id('1');
  const std::string data = "the file's only chunk";

  World() {
    auto updates = root_update(root_revision());
    updates.push_back(protocol::FolderUpdate{folder_id, 0, 1, "AAAA"});
    REQUIRE(services->nodes.create(alice, node("folder", folder_id, 'f'), updates));
    auto in_folder = node("file", file_id, '1');
    in_folder.parent_id = folder_id;
    REQUIRE(services->nodes.create(alice, in_folder, folder_update(folder_id)));
    REQUIRE(put(data));
    REQUIRE(services->content.commit(alice, file_id, protocol::CommitRequest{0, 1, "AAAA", {blob_id_of(data)}, {}}));
  }

  std::vector<protocol::FolderUpdate> folder_update(const std::string& id) {
    const auto base = services->nodes.get(alice, id)->folder_revision;
    return {protocol::FolderUpdate{id, base, base + 1, "AAAA"}};
  }
  // rm -rf: the file, then the folder.
  void remove_tree() {
    REQUIRE(services->nodes.remove(alice, folder_id, hex_id('1', 64), folder_update(folder_id)));
    REQUIRE(services->nodes.remove(alice, hex_id('a'), hex_id('f', 64), root_update(root_revision())));
  }
  protocol::LinkRequest old_entry(const std::string& parent, char tag) {
    return protocol::LinkRequest{parent, "gAAAAA==", hex_id(tag, 64), kKey};
  }
  std::uint64_t counted() {
    auto txn = metadata->begin(storage::TransactionMode::read);
    REQUIRE(txn);
    return *(*txn)->users().counted_usage(alice.user_id);
  }
  protocol::Usage usage() { return services->content.usage(alice).value(); }
  std::vector<std::string> kinds_since(std::uint64_t cursor) {
    auto page = services->changes.changes(alice, cursor, std::chrono::seconds(0));
    REQUIRE(page);
    std::vector<std::string> kinds;
    for (const auto& change : page->changes) kinds.push_back(change.kind);
    return kinds;
  }
  service::Caller bob() {
    add_user("bob", false, kKey, 'b');
    return *services->auth.authenticate(token_of("bob", kKey), "127.0.0.1");
  }
};

}  // namespace

TEST_CASE("versions name the device of the session that committed them") {
  World w;
  auto versions = w.services->content.versions(w.alice, w.file_id);
  REQUIRE(versions);
  REQUIRE(versions->versions.size() == 1);
  CHECK(versions->versions[0].device == std::optional<std::string>("test"));
}

TEST_CASE("the trash lists a removed tree in pages, with the entries that last held it") {
  World w;
  CHECK(w.services->trash.list(w.alice, "", 10)->items.empty());
  w.remove_tree();
  auto all = w.services->trash.list(w.alice, "", 10);
  REQUIRE(all);
  REQUIRE(all->items.size() == 2);
  CHECK_FALSE(all->next);
  const auto& file = all->items[0];  // ordered by node id: '1...' before 'f...'
  const auto& folder = all->items[1];
  CHECK(file.node.node_id == w.file_id);
  CHECK(file.parent_id == w.folder_id);
  CHECK(file.name_tag == hex_id('1', 64));
  CHECK(file.parent_in_trash);
  CHECK(file.node.version == 1);
  CHECK(folder.parent_id == hex_id('a'));
  CHECK_FALSE(folder.parent_in_trash);
  auto first = w.services->trash.list(w.alice, "", 1);
  REQUIRE(first->next == std::optional<std::string>(w.file_id));
  auto second = w.services->trash.list(w.alice, *first->next, 1);
  CHECK(second->items[0].node.node_id == w.folder_id);
  CHECK_FALSE(second->next);
  CHECK(w.services->trash.list(w.bob(), "", 10)->items.empty());
}

TEST_CASE("the usage splits held blobs into current, old versions and trash") {
  World w;
  const std::uint64_t size = w.data.size();
  auto usage = w.usage();
  CHECK(usage.current == size);
  CHECK(usage.versions + usage.trash == 0);
  CHECK(usage.other == usage.used - size);
  const std::string second = "a second version's chunk";
  REQUIRE(w.put(second));
  REQUIRE(w.services->content.commit(w.alice, w.file_id, protocol::CommitRequest{1, 2, "AAAA", {blob_id_of(second)}, {}}));
  usage = w.usage();
  CHECK(usage.current == second.size());
  CHECK(usage.versions == size);
  w.remove_tree();
  usage = w.usage();
  CHECK(usage.current + usage.versions == 0);
  CHECK(usage.trash == size + second.size());
}

TEST_CASE("a folder or symlink in the trash is restored by a link; its trashed children follow it") {
  World w;
  w.remove_tree();
  const auto revision = w.services->nodes.get(w.alice, w.folder_id)->folder_revision;
  auto restored = w.services->nodes.link(w.alice, w.folder_id, w.old_entry(hex_id('a'), 'f'), w.root_update(w.root_revision()));
  REQUIRE(restored);
  CHECK(restored->node.nlink == 1);
  CHECK(restored->node.folder_revision == revision);
  REQUIRE(w.services->nodes.link(w.alice, w.file_id, w.old_entry(w.folder_id, '1'), w.folder_update(w.folder_id)));
  CHECK(w.services->trash.list(w.alice, "", 10)->items.empty());
  CHECK(w.services->nodes.list(w.alice, w.folder_id, "", 10)->entries.size() == 1);
  // Live again: a second entry for the folder is refused as before.
  auto again = w.services->nodes.link(w.alice, w.folder_id, w.old_entry(hex_id('a'), '9'), w.root_update(w.root_revision()));
  CHECK(again.error().code == Errc::invalid_argument);
  // A symlink comes back the same way.
  REQUIRE(w.services->nodes.create(w.alice, w.node("symlink", hex_id('5'), '5'), w.root_update(w.root_revision())));
  REQUIRE(w.services->nodes.remove(w.alice, hex_id('a'), hex_id('5', 64), w.root_update(w.root_revision())));
  CHECK(w.services->nodes.link(w.alice, hex_id('5'), w.old_entry(hex_id('a'), '5'), w.root_update(w.root_revision())));
}

TEST_CASE("purging takes the node and its trashed tree for good and gives the bytes back") {
  World w;
  const auto cursor = w.services->changes.changes(w.alice, std::nullopt, std::chrono::seconds(0)).value();
  w.remove_tree();
  const auto bob = w.bob();
  CHECK(w.services->trash.purge(bob, w.folder_id).error().code == Errc::not_found);  // not his
  CHECK(w.services->trash.purge(w.alice, hex_id('a')).error().code == Errc::not_found);  // live
  const auto used = w.usage().used;
  REQUIRE(w.services->trash.purge(w.alice, w.folder_id));
  CHECK(w.services->nodes.get(w.alice, w.file_id).error().code == Errc::not_found);
  CHECK(w.services->nodes.get(w.alice, w.folder_id).error().code == Errc::not_found);
  CHECK(w.services->trash.purge(w.alice, w.folder_id).error().code == Errc::not_found);
  CHECK(w.usage().used < used);
  CHECK(w.usage().used == w.counted());
  CHECK(w.usage().trash == 0);  // the blob is still held (gc releases it), listed by nothing
  const auto kinds = w.kinds_since(cursor.cursor);
  CHECK(std::count(kinds.begin(), kinds.end(), "purged") == 2);
}

TEST_CASE("emptying purges what was trashed before the given time; expiry does it for everyone") {
  World w;
  w.remove_tree();
  const std::int64_t now = coffer::server::service::system_seconds();
  CHECK(w.services->trash.empty(w.alice, now - 100)->purged == 0);
  auto dry = w.services->trash.expire(now + 100, true);
  REQUIRE(dry);
  CHECK(dry->nodes == 2);
  CHECK(dry->versions == 1);
  CHECK(dry->unreferenced_bytes == w.data.size());
  CHECK(w.services->trash.list(w.alice, "", 10)->items.size() == 2);  // a dry run changes nothing
  CHECK(w.services->trash.empty(w.alice, now + 100)->purged == 2);
  CHECK(w.services->trash.list(w.alice, "", 10)->items.empty());
  CHECK(w.usage().used == w.counted());
  REQUIRE(w.services->nodes.create(w.alice, w.file(hex_id('2'), '2'), w.root_update(w.root_revision())));
  REQUIRE(w.services->nodes.remove(w.alice, hex_id('a'), hex_id('2', 64), w.root_update(w.root_revision())));
  CHECK(w.services->trash.expire(now - 100, false)->nodes == 0);
  CHECK(w.services->trash.expire(now + 100, false)->nodes == 1);
  CHECK(w.services->trash.empty(w.alice, std::nullopt)->purged == 0);
}
