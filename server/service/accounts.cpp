#include "server/service/accounts.hpp"

#include "server/service/auth_verifier.hpp"
#include "server/service/secrets.hpp"
#include "server/service/views.hpp"

namespace coffer::server::service {

Result<std::int64_t> create_account(storage::Transaction& txn, const NewAccount& account, std::int64_t now) {
  auto existing = txn.users().find_by_name(account.name);
  if (!existing) return existing.error();
  if (*existing) return make_error(Errc::already_exists, "the user name is taken");
  auto invited = txn.users().find_invite_for(account.name);
  if (!invited) return invited.error();
  if (*invited) return make_error(Errc::already_exists, "the user name is invited");
  auto root = txn.nodes().find(account.root_node_id);
  if (!root) return root.error();
  if (*root) return make_error(Errc::already_exists, "the root node id is in use");
  auto verifier = make_auth_verifier(account.auth_key);
  if (!verifier) return verifier.error();
  storage::UserRecord user;
  user.name = account.name;
  user.admin = account.admin;
  user.created_at = now;
  user.kdf = kdf_record(account.kdf);
  user.auth_verifier = std::move(*verifier);
  user.key_bundle = account.key_bundle;
  user.public_key = account.public_key;
  user.root_node_id = account.root_node_id;
  user.root_wrapped_key = account.root_wrapped_key;
  user.quota = account.quota;
  auto id = txn.users().insert(user);
  if (!id) return id.error();
  COFFER_TRY_STATUS(txn.nodes().insert(storage::NodeRecord{account.root_node_id, *id, storage::NodeType::folder,
                                                           account.root_attributes, 1, 0, 0, now, std::nullopt, 1,
                                                           account.root_folder_record}));
  return *id;
}

Result<std::string> server_secret(storage::MetadataStore& metadata) {
  static constexpr const char* kName = "server_secret";
  {
    auto txn = metadata.begin(storage::TransactionMode::read);
    if (!txn) return txn.error();
    auto stored = (*txn)->get_setting(kName);
    if (!stored) return stored.error();
    if (*stored) return std::move(**stored);
  }
  auto txn = metadata.begin(storage::TransactionMode::write);
  if (!txn) return txn.error();
  auto stored = (*txn)->get_setting(kName);  // another process may have won the race
  if (!stored) return stored.error();
  if (*stored) return std::move(**stored);
  std::string secret = new_server_secret();
  COFFER_TRY_STATUS((*txn)->put_setting(kName, secret));
  COFFER_TRY_STATUS((*txn)->commit());
  return secret;
}

}  // namespace coffer::server::service
