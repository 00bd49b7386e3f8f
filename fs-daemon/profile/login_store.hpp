#pragma once

#include <cstdint>
#include <string>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "profile/profile_paths.hpp"
#include "util/result.hpp"

namespace coffer::profile {

// The profile's layout and what its journal and state hold. Format 2: sealed entries and folder
// records (docs/crypto.md); format 3: each stored chunk's data blocks, in manifests and in the
// journal's commit ops. A profile of another format is refused by mount and sync
// (mount::ProfileStores::open) with what to do; logout still works on it.
inline constexpr int kProfileFormat = 3;

struct LoginInfo {
  int format = kProfileFormat;  // the profile format login.json was written in
  std::string server_url;
  std::string user;
  std::string device;
  std::string tls_fingerprint;  // "" for plain HTTP
  std::string token;            // bearer token: secret
  std::string session_id;
  std::int64_t user_id = 0;
  std::string root_node_id;
  Bytes root_wrapped_key;  // under the master key
};

// The keys a mount needs without asking for the password again.
struct ProfileKeys {
  crypto::FernetKey master_key;
  SecureBytes identity_private_key;
  crypto::FernetKey journal_key;  // seals the local journal's records
};

struct Login {
  LoginInfo info;
  ProfileKeys keys;
};

// login.json, mode 0600. Errc::not_found when the profile is not logged in.
Status save_login(const ProfilePaths& paths, const Login& login);
Result<Login> load_login(const ProfilePaths& paths);
// The login, the journal sealed under its journal key (which leaves with it) and the metadata
// cache: what the journal still held is dropped, so logout checks it is empty unless forced.
Status remove_login(const ProfilePaths& paths);

}  // namespace coffer::profile
