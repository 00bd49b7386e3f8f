#include <doctest/doctest.h>

#include "server/service/link_service.hpp"
#include "tests/server/support/service_world.hpp"

// Share links on the services, with a clock the test moves: expiry, the token's lifetime, the
// download count, the live-link limit, and what a link's caller reads.

using namespace coffer;
using namespace coffer::server;
using coffer::test::blob_id_of;
using coffer::test::hex_id;
using coffer::test::kTestKey;

namespace {

// alice's root holds folder D ('d...') with file F ('f...') in it, and file G ('9...') beside D.
struct World : coffer::test::ServiceWorld {
  std::int64_t now = service::system_seconds();
  const std::string docs = hex_id('d');
  const std::string file = hex_id('f');
  const std::string beside = hex_id('9');
  int next_id = 0;

  World() {
    services = std::make_unique<service::Services>(*metadata, *blobs, config, [this] { return now; });
    auto updates = root_update(root_revision());
    updates.push_back(protocol::FolderUpdate{docs, 0, 1, "AAAA"});
    REQUIRE(services->nodes.create(alice, node("folder", docs, 'd'), updates));
    auto in_docs = node("file", file, 'f');
    in_docs.parent_id = docs;
    REQUIRE(services->nodes.create(alice, in_docs, folder_update(docs)));
    REQUIRE(create_file(beside, '9'));
  }

  std::vector<protocol::FolderUpdate> folder_update(const std::string& id) {
    const auto base = services->nodes.get(alice, id)->folder_revision;
    return {protocol::FolderUpdate{id, base, base + 1, "AAAA"}};
  }

  // A new link id: canonical base64url of 16 bytes.
  std::string new_link_id() {
    std::string bytes(16, '\0');
    const int n = next_id++;
    bytes[0] = static_cast<char>(n & 0xff);
    bytes[1] = static_cast<char>((n >> 8) & 0xff);
    return coffer::test::b64(bytes);
  }

  protocol::CreateLinkRequest request(const std::string& node_id, const std::string& kind) {
    return protocol::CreateLinkRequest{new_link_id(), node_id, kind, "AAAA", std::nullopt, "AAAA", std::nullopt,
                                       std::nullopt};
  }

  service::Caller opened(const std::string& link_id) {
    auto open = services->links.open(link_id, "192.0.2.1");
    REQUIRE(open);
    auto caller = services->auth.authenticate(open->token, "192.0.2.1");
    REQUIRE(caller);
    return *caller;
  }
};

}  // namespace

TEST_CASE("a link's token reads the linked folder and below, for 12 hours at most") {
  World w;
  auto request = w.request(w.docs, "folder");
  REQUIRE(w.services->links.create(w.alice, request));
  CHECK(w.services->admin.stats()->links == 1);
  auto open = w.services->links.open(request.link_id, "192.0.2.1");
  REQUIRE(open);
  CHECK(open->token_expires_at == w.now + service::kLinkTokenLifetime);
  CHECK(open->owner == "alice");
  auto caller = w.services->auth.authenticate(open->token, "192.0.2.1");
  REQUIRE(caller);
  CHECK(caller->user_id == 0);
  REQUIRE(caller->link);
  CHECK(w.services->nodes.get(*caller, w.docs));
  CHECK(w.services->nodes.get(*caller, w.file));
  CHECK(w.services->nodes.list(*caller, w.docs, "", 100)->entries.size() == 1);
  CHECK(w.services->nodes.get(*caller, hex_id('a')).error().code == Errc::not_found);
  CHECK(w.services->nodes.get(*caller, w.beside).error().code == Errc::not_found);
  CHECK(w.services->nodes.list(*caller, hex_id('a'), "", 100).error().code == Errc::not_found);
  CHECK(w.services->nodes.list_at(*caller, w.docs, w.now, "", 100).error().code == Errc::permission_denied);
  CHECK(w.services->links.list(*caller)->links.empty());
  CHECK(w.services->links.create(*caller, w.request(w.file, "file")).error().code == Errc::permission_denied);

  w.now += service::kLinkTokenLifetime;
  CHECK(w.services->auth.authenticate(open->token, "192.0.2.1").error().code == Errc::unauthenticated);
  CHECK(w.services->links.info(request.link_id, "192.0.2.1"));  // the link itself has no expiry
}

TEST_CASE("expiry and the download limit end a link with gone") {
  World w;
  auto expiring = w.request(w.file, "file");
  expiring.expires_at = w.now + 3600;
  REQUIRE(w.services->links.create(w.alice, expiring));
  auto open = w.services->links.open(expiring.link_id, "192.0.2.2");
  REQUIRE(open);
  CHECK(open->token_expires_at == w.now + 3600);  // the token ends with the link

  auto limited = w.request(w.file, "file");
  limited.max_downloads = 2;
  REQUIRE(w.services->links.create(w.alice, limited));
  (void)w.opened(limited.link_id);
  (void)w.opened(limited.link_id);
  CHECK(w.services->links.open(limited.link_id, "192.0.2.3").error().code == Errc::gone);
  CHECK(w.services->links.info(limited.link_id, "192.0.2.3").error().code == Errc::gone);

  w.now += 3600;
  CHECK(w.services->links.info(expiring.link_id, "192.0.2.4").error().code == Errc::gone);
  CHECK(w.services->links.open(expiring.link_id, "192.0.2.4").error().code == Errc::gone);
  CHECK(w.services->auth.authenticate(open->token, "192.0.2.2").error().code == Errc::unauthenticated);

  CHECK(w.services->admin.stats()->links == 0);  // one used up, one expired: neither is live
  auto past = w.request(w.file, "file");
  past.expires_at = w.now;
  CHECK(w.services->links.create(w.alice, past).error().code == Errc::invalid_argument);
  auto listed = w.services->links.list(w.alice);
  REQUIRE(listed);
  CHECK(listed->links.size() == 2);
}

TEST_CASE("a link goes with its node and stops while the node is in the trash") {
  World w;
  auto request = w.request(w.file, "file");
  REQUIRE(w.services->links.create(w.alice, request));
  auto caller = w.opened(request.link_id);
  CHECK(w.services->nodes.get(caller, w.file));
  REQUIRE(w.services->nodes.remove(w.alice, w.docs, hex_id('f', 64), w.folder_update(w.docs)));
  CHECK(w.services->links.info(request.link_id, "192.0.2.5").error().code == Errc::not_found);
  CHECK(w.services->nodes.get(caller, w.file).error().code == Errc::not_found);
  REQUIRE(w.services->trash.purge(w.alice, w.file));
  auto txn = w.metadata->begin(storage::TransactionMode::read);
  REQUIRE(txn);
  CHECK_FALSE(*(*txn)->links().find(request.link_id));
}

TEST_CASE("at most 1000 live links per user; used-up links do not count") {
  World w;
  std::string first;
  for (std::size_t i = 0; i < protocol::kMaxLinksPerUser; ++i) {
    auto request = w.request(w.file, "file");
    request.max_downloads = 1;
    if (first.empty()) first = request.link_id;
    REQUIRE(w.services->links.create(w.alice, request));
  }
  auto refused = w.services->links.create(w.alice, w.request(w.file, "file"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::invalid_argument);
  CHECK(refused.details().contains("too_many_links"));
  (void)w.opened(first);  // its one download used
  CHECK(w.services->links.create(w.alice, w.request(w.file, "file")));
}

TEST_CASE("a link reads the current version's blobs only, and ends when its owner is disabled") {
  World w;
  REQUIRE(w.put("one"));
  REQUIRE(w.services->content.commit(w.alice, w.file, protocol::CommitRequest{0, 1, "AAAA", {blob_id_of("one")}, {}}));
  REQUIRE(w.put("two"));
  REQUIRE(w.services->content.commit(w.alice, w.file, protocol::CommitRequest{1, 2, "AAAA", {blob_id_of("two")}, {}}));
  auto request = w.request(w.docs, "folder");
  REQUIRE(w.services->links.create(w.alice, request));
  auto open = w.services->links.open(request.link_id, "192.0.2.1");
  REQUIRE(open);
  auto caller = w.services->auth.authenticate(open->token, "192.0.2.1");
  REQUIRE(caller);
  CHECK(w.services->content.open_blob(*caller, blob_id_of("two")));
  CHECK(w.services->content.open_blob(*caller, blob_id_of("one")).error().code == Errc::not_found);  // history is not linked

  REQUIRE(w.services->admin.set_disabled(coffer::test::kTestActor, "alice", true));
  CHECK(w.services->auth.authenticate(open->token, "192.0.2.1").error().code == Errc::unauthenticated);
}

TEST_CASE("an expired link stays listed for 30 days, then the next new link removes it") {
  World w;
  auto expiring = w.request(w.file, "file");
  expiring.expires_at = w.now + 60;
  REQUIRE(w.services->links.create(w.alice, expiring));
  w.now += 29 * 24 * 3600;
  REQUIRE(w.services->links.create(w.alice, w.request(w.file, "file")));
  CHECK(w.services->links.list(w.alice)->links.size() == 2);
  w.now += 2 * 24 * 3600;
  REQUIRE(w.services->links.create(w.alice, w.request(w.file, "file")));
  CHECK(w.services->links.list(w.alice)->links.size() == 2);
  CHECK(w.services->links.info(expiring.link_id, "192.0.2.5").error().code == Errc::not_found);
}

TEST_CASE("a link's openings are logged 100 times a day at most, and all of them counted") {
  World w;
  auto request = w.request(w.file, "file");
  REQUIRE(w.services->links.create(w.alice, request));
  const auto logged = [&] {
    auto audit = w.services->admin.audit(0, 100000);
    REQUIRE(audit);
    std::vector<std::string> details;
    for (const auto& event : audit->events) {
      if (event.event == "link_opened") details.push_back(event.detail);
    }
    return details;
  };
  for (int i = 0; i < 150; ++i) REQUIRE(w.services->links.open(request.link_id, "192.0.2.1"));
  auto details = logged();
  REQUIRE(details.size() == 100);
  CHECK(details.front() == "link " + request.link_id + ", download 1");
  CHECK(details.back().find("download 100; further openings within 24 hours are counted, not logged") !=
        std::string::npos);
  CHECK(w.services->links.list(w.alice)->links.at(0).downloads == 150);
  w.now += 24 * 3600;
  REQUIRE(w.services->links.open(request.link_id, "192.0.2.1"));
  details = logged();
  REQUIRE(details.size() == 101);
  CHECK(details.back() == "link " + request.link_id + ", download 151");
}
