#include "cli/password_proof.hpp"

#include "cli/cli_support.hpp"
#include "cli/password_prompt.hpp"

namespace coffer::cli {

ProvenPassword prove_password(std::string_view command, client::ApiClient& api, const std::string& prompt,
                              const std::optional<std::string>& file) {
  auto password = value_or_fail(command, read_password(prompt, file, false));
  auto account = value_or_fail(command, api.get_account());
  const std::string_view text(reinterpret_cast<const char*>(password.data()), password.size());
  auto keys = value_or_fail(command, crypto::derive_login_keys(text, account.kdf));
  auto bundle = crypto::open_key_bundle(keys.kek, account.key_bundle);
  if (!bundle) fail(command, "the current password is wrong");
  return ProvenPassword{std::move(account), std::move(keys), std::move(*bundle)};
}

}  // namespace coffer::cli
