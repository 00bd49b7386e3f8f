#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>

#include "crypto/keys.hpp"
#include "profile/known_keys.hpp"

using namespace coffer;
using coffer::profile::KeySighting;
using coffer::profile::KnownKeys;

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char pattern[] = "/tmp/coffer-known-keys-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

Bytes key_of(const crypto::X25519KeyPair& pair) { return Bytes(pair.public_key.begin(), pair.public_key.end()); }

}  // namespace

TEST_CASE("the first key seen is remembered, and a different one later is refused") {
  TempDir dir;
  const auto file = dir.path / "known_keys.json";
  KnownKeys keys(file, "http://127.0.0.1:1");
  const Bytes alice = key_of(crypto::X25519KeyPair::generate());
  const Bytes swapped = key_of(crypto::X25519KeyPair::generate());

  CHECK(keys.check("alice", alice).value() == KeySighting::first);
  CHECK(keys.check("alice", alice).value() == KeySighting::known);
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  auto refused = keys.check("alice", swapped);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::integrity);
  CHECK(refused.error().message.find(crypto::key_fingerprint(alice)) != std::string::npos);
  CHECK(refused.error().message.find(crypto::key_fingerprint(swapped)) != std::string::npos);
  CHECK(refused.error().message.find("coffer trust alice") != std::string::npos);
  // The refused key replaced nothing.
  CHECK(keys.find("alice").value()->public_key == alice);

  REQUIRE(keys.trust("alice", swapped));
  CHECK(keys.check("alice", swapped).value() == KeySighting::verified);
  CHECK(keys.check("alice", alice).error().code == Errc::integrity);
}

TEST_CASE("keys are kept per server, and two users of one profile file lose nothing") {
  TempDir dir;
  const auto file = dir.path / "known_keys.json";
  const Bytes alice = key_of(crypto::X25519KeyPair::generate());
  const Bytes bob = key_of(crypto::X25519KeyPair::generate());
  KnownKeys daemon(file, "https://home.example:8443");
  KnownKeys command(file, "https://home.example:8443");
  CHECK(daemon.check("alice", alice).value() == KeySighting::first);
  CHECK(command.check("bob", bob).value() == KeySighting::first);
  CHECK(daemon.find("bob").value().has_value());
  CHECK(command.find("alice").value().has_value());

  KnownKeys other_server(file, "https://elsewhere.example");
  CHECK_FALSE(other_server.find("alice").value().has_value());
}

TEST_CASE("an unreadable known keys file is an error, never an empty list") {
  TempDir dir;
  const auto file = dir.path / "known_keys.json";
  { std::FILE* out = std::fopen(file.c_str(), "w"); std::fputs("{not json", out); std::fclose(out); }
  KnownKeys keys(file, "http://127.0.0.1:1");
  CHECK(keys.check("alice", key_of(crypto::X25519KeyPair::generate())).error().code == Errc::io);
}
