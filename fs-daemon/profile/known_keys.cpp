#include "profile/known_keys.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "profile/private_file.hpp"
#include "util/unix_time.hpp"

namespace coffer::profile {
namespace {

constexpr std::size_t kPublicKeySize = 32;

using KeyMap = std::map<std::string, KnownKey>;

// An exclusive lock on FILE.lock for as long as it lives, so that the daemon and a command
// changing the same profile's keys do not lose each other's additions.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& file) {
    std::filesystem::path lock_path = file;
    lock_path += ".lock";
    fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

Result<KeyMap> load(const std::filesystem::path& file, const std::string& server_url) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return KeyMap{};
  auto text = read_file(file);
  if (!text) return std::move(text).error();
  try {
    const auto json = nlohmann::json::parse(*text);
    KeyMap keys;
    // Keys seen on another server say nothing about this one's users.
    if (json.at("server").get<std::string>() != server_url) return keys;
    for (const auto& [user, item] : json.at("users").items()) {
      auto raw = crypto::base64url_decode(item.at("public_key").get<std::string>());
      if (!raw || raw->size() != kPublicKeySize) throw std::invalid_argument("a public key is 32 bytes");
      std::string fingerprint = crypto::key_fingerprint(*raw);
      keys[user] = KnownKey{user, std::move(*raw), std::move(fingerprint), item.at("verified").get<bool>(),
                            item.at("first_seen").get<std::int64_t>()};
    }
    return keys;
  } catch (const std::exception& e) {
    return make_error(Errc::io, file.string() + ": unreadable known keys (" + e.what() + ")");
  }
}

Status store(const std::filesystem::path& file, const std::string& server_url, const KeyMap& keys) {
  nlohmann::json users = nlohmann::json::object();
  for (const auto& [user, key] : keys) {
    users[user] = {{"public_key", crypto::base64url_encode(key.public_key)},
                   {"fingerprint", key.fingerprint},
                   {"verified", key.verified},
                   {"first_seen", key.first_seen}};
  }
  const nlohmann::json json = {{"server", server_url}, {"users", users}};
  return write_private_file(file, json.dump(2) + "\n");
}

bool same_key(const Bytes& known, ByteView offered) {
  return std::equal(known.begin(), known.end(), offered.begin(), offered.end());
}

Error changed_key(const std::string& user, const KnownKey& known, ByteView offered) {
  return make_error(Errc::integrity,
                    "the server now gives a different public key for " + user + " (first seen: " + known.fingerprint +
                        ", now: " + crypto::key_fingerprint(offered) +
                        "). Either the server is lying or " + user +
                        " has a new key: check the new fingerprint with " + user +
                        " in person or on another channel, then run `coffer trust " + user + " FINGERPRINT`");
}

}  // namespace

KnownKeys::KnownKeys(std::filesystem::path file, std::string server_url)
    : file_(std::move(file)), server_url_(std::move(server_url)) {}

Result<KeySighting> KnownKeys::check(const std::string& user, ByteView public_key) {
  if (public_key.size() != kPublicKeySize) return make_error(Errc::integrity, "a public key is 32 bytes");
  std::lock_guard guard(mutex_);
  FileLock lock(file_);
  if (!lock.held()) return make_error(Errc::io, file_.string() + ": cannot lock the known keys");
  auto keys = load(file_, server_url_);
  if (!keys) return std::move(keys).error();
  if (const auto it = keys->find(user); it != keys->end()) {
    if (!same_key(it->second.public_key, public_key)) return changed_key(user, it->second, public_key);
    return it->second.verified ? KeySighting::verified : KeySighting::known;
  }
  const Bytes key(public_key.begin(), public_key.end());
  (*keys)[user] = KnownKey{user, key, crypto::key_fingerprint(key), false, unix_now()};
  COFFER_TRY_STATUS(store(file_, server_url_, *keys));
  return KeySighting::first;
}

Status KnownKeys::trust(const std::string& user, ByteView public_key) {
  if (public_key.size() != kPublicKeySize) return make_error(Errc::integrity, "a public key is 32 bytes");
  std::lock_guard guard(mutex_);
  FileLock lock(file_);
  if (!lock.held()) return make_error(Errc::io, file_.string() + ": cannot lock the known keys");
  auto keys = load(file_, server_url_);
  if (!keys) return std::move(keys).error();
  const Bytes key(public_key.begin(), public_key.end());
  (*keys)[user] = KnownKey{user, key, crypto::key_fingerprint(key), true, unix_now()};
  return store(file_, server_url_, *keys);
}

Result<std::optional<KnownKey>> KnownKeys::find(const std::string& user) {
  std::lock_guard guard(mutex_);
  auto keys = load(file_, server_url_);
  if (!keys) return std::move(keys).error();
  const auto it = keys->find(user);
  if (it == keys->end()) return std::optional<KnownKey>();
  return std::optional<KnownKey>(it->second);
}

}  // namespace coffer::profile
