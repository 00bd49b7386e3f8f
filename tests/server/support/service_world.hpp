#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "server/service/services.hpp"
#include "server/storage/local/local_blob_store.hpp"
#include "server/storage/sqlite/sqlite_store.hpp"
#include "tests/server/support/temp_dir.hpp"

namespace coffer::test {

inline const std::string kTestKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
inline const server::service::Actor kTestActor{"test", "local"};

inline std::string hex_id(char c, std::size_t length = 32) { return std::string(length, c); }
inline std::string blob_id_of(const std::string& data) { return crypto::hex_encode(crypto::sha256(as_bytes(data))); }
inline std::string b64(const std::string& data) { return crypto::base64url_encode(as_bytes(data)); }

// A server's services without HTTP over a temporary data directory, with alice (root "aaa...")
// logged in. The server cannot open names, keys or records, so any well-formed bytes do.
struct ServiceWorld {
  TempDir dir;
  server::ServerConfig config;
  std::unique_ptr<server::storage::sqlite::SqliteMetadataStore> metadata;
  std::unique_ptr<server::storage::LocalBlobStore> blobs;
  std::unique_ptr<server::service::Services> services;
  std::string alice_token;
  server::service::Caller alice;

  ServiceWorld() : ServiceWorld(server::ServerConfig{}) {}
  explicit ServiceWorld(server::ServerConfig base, bool alice_admin = false) : config(std::move(base)) {
    metadata = std::move(*server::storage::sqlite::SqliteMetadataStore::open(dir.path() / "coffer.db", {}));
    blobs = std::move(*server::storage::LocalBlobStore::open(dir.path() / "blobs"));
    services = std::make_unique<server::service::Services>(*metadata, *blobs, config);
    add_user("alice", alice_admin, kTestKey, 'a');
    alice_token = token_of("alice", kTestKey);
    alice = *services->auth.authenticate(alice_token, "127.0.0.1");
  }

  // A user whose root folder's id is `root` repeated and whose auth_key is `key`.
  void add_user(const std::string& name, bool admin, const std::string& key, char root) {
    server::service::NewAccount account{name, admin, protocol::KdfParams{"scrypt", 32768, 8, 1, key.substr(0, 24)},
                                        key, "AAAA", key, hex_id(root), key, "AAAA", "AAAA", std::nullopt};
    REQUIRE(services->admin.add_user(kTestActor, account));
  }
  // A new session's token.
  std::string token_of(const std::string& name, const std::string& key) {
    auto login = services->auth.login(protocol::LoginRequest{name, key, "test"}, "127.0.0.1");
    REQUIRE(login);
    return login->token;
  }

  protocol::CreateNodeRequest node(const std::string& type, const std::string& id, char tag) {
    return protocol::CreateNodeRequest{id, type, hex_id('a'), "gAAAAA==", hex_id(tag, 64), kTestKey, "AAAA", 1};
  }
  protocol::CreateNodeRequest file(const std::string& id, char tag) { return node("file", id, tag); }

  // The root folder's next record after `base`.
  std::vector<protocol::FolderUpdate> root_update(std::uint64_t base) {
    return {protocol::FolderUpdate{hex_id('a'), base, base + 1, "AAAA"}};
  }
  std::uint64_t root_revision() { return services->nodes.get(alice, hex_id('a'))->folder_revision; }
  Status create_file(const std::string& id, char tag) {
    auto created = services->nodes.create(alice, file(id, tag), root_update(root_revision()));
    if (!created) return created.error();
    return {};
  }

  // Uploads `data` as one blob, as PUT /v1/blobs/{id} does.
  server::service::Outcome<server::service::ContentService::Stored> put(const std::string& data) {
    return put_as(alice, data);
  }
  server::service::Outcome<server::service::ContentService::Stored> put_as(const server::service::Caller& caller,
                                                                           const std::string& data) {
    using Stored = server::service::ContentService::Stored;
    const std::string id = blob_id_of(data);
    auto writer = services->content.start_upload(caller, id, data.size());
    if (!writer) return server::service::Outcome<Stored>(writer.error(), writer.details());
    if (auto written = (*writer)->write(data); !written) return written.error();
    return services->content.finish_upload(caller, id, **writer);
  }

  std::size_t files_under(const std::filesystem::path& path) {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) count += entry.is_regular_file();
    return count;
  }
  std::size_t stored_blobs() { return files_under(dir.path() / "blobs") - files_under(dir.path() / "blobs" / "tmp"); }
};

}  // namespace coffer::test
