#pragma once

#include <optional>
#include <string>

#include "server/service/accounts.hpp"

namespace coffer::server::admin {

// Makes an account's keys exactly as the coffer client does at `coffer register`, for
// `coffer-admin user add`: fresh scrypt parameters, auth_key and kek from the password, a new
// key bundle sealed under kek, and a root folder with its own key (wrapped under the master key)
// and a sealed attribute record (mode 040755, times now, revision 1).
Result<service::NewAccount> make_account(const std::string& name, const std::string& password, bool admin,
                                         std::optional<std::uint64_t> quota);

// The password in a file: its content without one trailing newline; refused when empty.
Result<std::string> read_password_file(const std::string& path);

}  // namespace coffer::server::admin
