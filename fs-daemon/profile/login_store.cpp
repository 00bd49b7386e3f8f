#include "profile/login_store.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>

#include "crypto/encoding.hpp"
#include "profile/private_file.hpp"

namespace coffer::profile {
namespace {

// Wipes a JSON document's string values, which held key text, before it is freed.
void wipe_strings(nlohmann::json& j) {
  if (j.is_string()) {
    auto& text = j.get_ref<std::string&>();
    secure_zero(text.data(), text.size());
  } else if (j.is_structured()) {
    for (auto& item : j) wipe_strings(item);
  }
}

Result<Login> parse_login(nlohmann::json& j) {
  LoginInfo info;
  info.format = j.value("format", 1);  // format 1 had no field
  info.server_url = j.at("server").get<std::string>();
  info.user = j.at("user").get<std::string>();
  info.device = j.at("device").get<std::string>();
  info.tls_fingerprint = j.at("tls_fingerprint").get<std::string>();
  info.token = j.at("token").get<std::string>();
  info.session_id = j.at("session_id").get<std::string>();
  info.user_id = j.at("user_id").get<std::int64_t>();
  info.root_node_id = j.at("root_node_id").get<std::string>();
  auto root_wrapped = crypto::base64url_decode(j.at("root_wrapped_key").get<std::string>());
  auto master = crypto::FernetKey::from_base64(j.at("master_key").get<std::string>());
  auto journal = crypto::FernetKey::from_base64(j.at("journal_key").get<std::string>());
  auto identity = crypto::base64url_decode(j.at("identity_private_key").get<std::string>());
  if (!root_wrapped || !master || !journal || !identity) {
    return make_error(Errc::invalid_argument, "login.json holds a malformed key");
  }
  info.root_wrapped_key = std::move(root_wrapped).value();
  SecureBytes identity_key(identity->begin(), identity->end());
  secure_zero(identity->data(), identity->size());
  return Login{std::move(info), ProfileKeys{std::move(master).value(), std::move(identity_key), std::move(journal).value()}};
}

}  // namespace

Status save_login(const ProfilePaths& paths, const Login& login) {
  COFFER_TRY_STATUS(ensure_private_dir(paths.root()));
  const auto& info = login.info;
  nlohmann::json j = {
      {"format", kProfileFormat},
      {"server", info.server_url},
      {"user", info.user},
      {"device", info.device},
      {"tls_fingerprint", info.tls_fingerprint},
      {"token", info.token},
      {"session_id", info.session_id},
      {"user_id", info.user_id},
      {"root_node_id", info.root_node_id},
      {"root_wrapped_key", crypto::base64url_encode(info.root_wrapped_key)},
      {"master_key", login.keys.master_key.to_base64()},
      {"journal_key", login.keys.journal_key.to_base64()},
      {"identity_private_key", crypto::base64url_encode(login.keys.identity_private_key)},
  };
  std::string text = j.dump(2) + "\n";
  auto status = write_private_file(paths.login_file(), text);
  secure_zero(text.data(), text.size());
  wipe_strings(j);
  return status;
}

Result<Login> load_login(const ProfilePaths& paths) {
  auto text = read_file(paths.login_file());
  if (!text) {
    return make_error(Errc::not_found, "not logged in (no " + paths.login_file().string() +
                                           "); run `coffer login --server URL --user NAME` first");
  }
  auto j = nlohmann::json::parse(*text, nullptr, false);
  secure_zero(text->data(), text->size());
  if (!j.is_object()) return make_error(Errc::invalid_argument, paths.login_file().string() + ": not valid JSON");
  Result<Login> login = make_error(Errc::invalid_argument, "");
  try {
    login = parse_login(j);
  } catch (const nlohmann::json::exception& e) {
    login = make_error(Errc::invalid_argument, paths.login_file().string() + ": " + e.what());
  }
  wipe_strings(j);
  return login;
}

Status remove_login(const ProfilePaths& paths) {
  std::error_code ec;
  std::filesystem::remove(paths.login_file(), ec);
  if (ec) return make_error(Errc::io, paths.login_file().string() + ": " + ec.message());
  std::filesystem::remove_all(paths.journal_dir(), ec);
  if (ec) return make_error(Errc::io, paths.journal_dir().string() + ": " + ec.message());
  // The metadata cache opens only under this login's key, and holds node keys: it goes too.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    auto file = paths.metadata_db();
    file += suffix;
    std::filesystem::remove(file, ec);
    if (ec) return make_error(Errc::io, file.string() + ": " + ec.message());
  }
  return {};
}

}  // namespace coffer::profile
