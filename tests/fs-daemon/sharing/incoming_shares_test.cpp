#include <doctest/doctest.h>

#include <filesystem>
#include <algorithm>
#include <map>

#include "crypto/grant_seal.hpp"
#include "sharing/incoming_shares.hpp"

using namespace coffer;

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char pattern[] = "/tmp/coffer-incoming-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// The share routes as a (possibly lying) server answers them.
class ScriptedShares final : public remote::ShareApi {
 public:
  remote::ShareLists lists;
  std::map<std::string, Bytes> keys;
  Result<remote::ShareLists> list_shares() override { return lists; }
  Result<remote::ShareInfo> put_share(const std::string&, const std::string&, remote::ShareRole, ByteView) override {
    return make_error(Errc::unsupported, "not scripted");
  }
  Status delete_share(const std::string&, const std::string&) override { return make_error(Errc::unsupported, ""); }
  Result<Bytes> public_key(const std::string& user) override {
    const auto it = keys.find(user);
    if (it == keys.end()) return make_error(Errc::not_found, "no such user");
    return it->second;
  }
};

Bytes key_of(const crypto::X25519KeyPair& pair) { return Bytes(pair.public_key.begin(), pair.public_key.end()); }

remote::ShareInfo share_of(const std::string& node_id, const std::string& owner, const Bytes& sealed) {
  remote::ShareInfo share;
  share.node_id = node_id;
  share.owner = owner;
  share.grantee = "bob";
  share.granted_by = owner;
  share.role = remote::ShareRole::write;
  share.sealed_key = sealed;
  share.node.node_id = node_id;
  share.node.type = remote::NodeType::folder;
  share.node.owner = owner;
  return share;
}

crypto::GrantPayload grant(const std::string& node_id, const std::string& owner, const crypto::FernetKey& key) {
  return crypto::GrantPayload{node_id, owner, "bob", "Photos", true, key};
}

struct World {
  TempDir dir;
  crypto::X25519KeyPair alice = crypto::X25519KeyPair::generate();
  crypto::X25519KeyPair bob = crypto::X25519KeyPair::generate();
  crypto::FernetKey folder_key = crypto::FernetKey::generate();
  ScriptedShares server;
  profile::KnownKeys known{dir.path / "known_keys.json", "http://127.0.0.1:1"};
  sharing::ServerIncomingShares shares{server, known, bob, "bob"};

  World() { server.keys["alice"] = key_of(alice); }
  Bytes sealed_by_alice(const std::string& node_id) {
    return crypto::seal_grant(alice, bob.public_key, grant(node_id, "alice", folder_key)).value();
  }
};

}  // namespace

TEST_CASE("a grant sealed by its granter opens with the node's key, role and name") {
  World world;
  world.server.lists.incoming.push_back(share_of(std::string(32, 'a'), "alice", world.sealed_by_alice(std::string(32, 'a'))));
  auto list = world.shares.list();
  REQUIRE(list);
  REQUIRE(list->size() == 1);
  CHECK(list->at(0).name == "Photos");
  CHECK(list->at(0).owner == "alice");
  CHECK(list->at(0).role == remote::ShareRole::write);
  CHECK(list->at(0).is_folder);
  const ByteView opened = list->at(0).key.raw(), expected = world.folder_key.raw();
  CHECK(std::equal(opened.begin(), opened.end(), expected.begin(), expected.end()));
}

TEST_CASE("grants the server forged, re-pointed or attributed to a swapped key are left out") {
  World world;
  const crypto::X25519KeyPair server_identity = crypto::X25519KeyPair::generate();
  const std::string good(32, 'a'), forged(32, 'b'), repointed(32, 'c'), other_owner(32, 'd');
  world.server.lists.incoming = {
      share_of(good, "alice", world.sealed_by_alice(good)),
      share_of(forged, "alice",
               crypto::seal_grant(server_identity, world.bob.public_key, grant(forged, "alice", world.folder_key)).value()),
      share_of(repointed, "alice", world.sealed_by_alice(good)),
      share_of(other_owner, "carol", world.sealed_by_alice(other_owner)),
  };
  world.server.lists.incoming.back().granted_by = "alice";
  auto list = world.shares.list();
  REQUIRE(list);
  REQUIRE(list->size() == 1);
  CHECK(list->at(0).node_id == good);

  // The server now hands out its own key as alice's: every grant of hers is left out.
  world.server.keys["alice"] = key_of(server_identity);
  world.server.lists.incoming = {share_of(
      forged, "alice",
      crypto::seal_grant(server_identity, world.bob.public_key, grant(forged, "alice", world.folder_key)).value())};
  auto after_swap = world.shares.list();
  REQUIRE(after_swap);
  CHECK(after_swap->empty());
}
