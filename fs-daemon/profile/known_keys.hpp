#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "util/result.hpp"

namespace coffer::profile {

// Another user's public key as this profile first saw it (trust on first use).
struct KnownKey {
  std::string user;
  Bytes public_key;         // 32 bytes
  std::string fingerprint;  // crypto::key_fingerprint of the key
  bool verified = false;    // confirmed out of band with `coffer trust`
  std::int64_t first_seen = 0;
};

// What check() found.
enum class KeySighting { first, known, verified };

// The public keys this profile has seen, per user, in PROFILE/known_keys.json (0600). The
// server hands out public keys, so a server that swaps one (to open what is shared with that
// user) is caught here on every device that saw the real one. Keys of another server than the
// profile's login are never used. Thread-safe; processes sharing the profile (the daemon and
// the commands) take a file lock around each change.
class KnownKeys {
 public:
  KnownKeys(std::filesystem::path file, std::string server_url);

  // The first key seen for a user is remembered. A different key later is refused with
  // Errc::integrity and a message saying what to do; nothing is replaced.
  Result<KeySighting> check(const std::string& user, ByteView public_key);
  // Remembers `public_key` as the user's key, verified, replacing any other.
  Status trust(const std::string& user, ByteView public_key);
  Result<std::optional<KnownKey>> find(const std::string& user);

 private:
  std::filesystem::path file_;
  std::string server_url_;
  std::mutex mutex_;  // serializes this process's read-modify-write; the file lock, other processes'
};

}  // namespace coffer::profile
