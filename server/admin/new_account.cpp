#include "server/admin/new_account.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include "crypto/attributes.hpp"
#include "crypto/encoding.hpp"
#include "crypto/folder_record.hpp"
#include "crypto/kdf.hpp"
#include "crypto/keys.hpp"
#include "crypto/random.hpp"

namespace coffer::server::admin {
namespace {

crypto::Timestamp now_timestamp() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds);
  return crypto::Timestamp{seconds.count(), static_cast<std::uint32_t>(nanos.count())};
}

std::string root_attributes(const crypto::FernetKey& root_key, const std::string& root_id) {
  crypto::AttributeRecord record;
  record.node_id = root_id;
  record.revision = 1;
  record.attributes.mode = 040755;
  const auto now = now_timestamp();
  record.attributes.atime = record.attributes.mtime = record.attributes.ctime = now;
  return crypto::base64url_encode(crypto::seal_attribute_record(root_key, record));
}

// The root folder starts at revision 1 with no entries.
std::string root_folder_record(const crypto::FernetKey& root_key, const std::string& root_id) {
  const crypto::FolderRecord record{root_id, 1, 0, crypto::FolderCommitment().digest()};
  return crypto::base64url_encode(crypto::seal_folder_record(root_key, record));
}

}  // namespace

Result<service::NewAccount> make_account(const std::string& name, const std::string& password, bool admin,
                                         std::optional<std::uint64_t> quota) {
  const crypto::KdfParams kdf = crypto::KdfParams::fresh();
  auto keys = crypto::derive_login_keys(password, kdf);
  if (!keys) return keys.error();
  const crypto::UserKeyBundle bundle = crypto::UserKeyBundle::generate();
  const crypto::FernetKey root_key = crypto::FernetKey::generate();
  const std::string root_id = crypto::hex_encode(crypto::random_bytes(16));
  service::NewAccount account;
  account.name = name;
  account.admin = admin;
  account.kdf = protocol::KdfParams{kdf.algorithm, kdf.n, kdf.r, kdf.p, crypto::base64url_encode(kdf.salt)};
  account.auth_key = crypto::base64url_encode(keys->auth_key);
  account.key_bundle = crypto::base64url_encode(crypto::seal_key_bundle(keys->kek, bundle));
  account.public_key = crypto::base64url_encode(bundle.identity.public_key);
  account.root_node_id = root_id;
  account.root_wrapped_key = crypto::base64url_encode(crypto::wrap_key(bundle.master_key, root_key));
  account.root_attributes = root_attributes(root_key, root_id);
  account.root_folder_record = root_folder_record(root_key, root_id);
  account.quota = quota;
  return account;
}

Result<std::string> read_password_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::not_found, "cannot read the password file " + path);
  std::stringstream text;
  text << in.rdbuf();
  std::string password = text.str();
  if (!password.empty() && password.back() == '\n') password.pop_back();
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) return make_error(Errc::invalid_argument, "the password file " + path + " is empty");
  return password;
}

}  // namespace coffer::server::admin
