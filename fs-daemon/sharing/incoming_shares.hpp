#pragma once

#include <string>
#include <vector>

#include "crypto/fernet.hpp"
#include "remote/share_api.hpp"
#include "remote/types.hpp"
#include "util/result.hpp"

namespace coffer::sharing {
struct IncomingShare { std::string node_id, owner, name; remote::ShareRole role; bool is_folder;
                       crypto::FernetKey key; remote::NodeInfo node; };
class IncomingShares { public: virtual ~IncomingShares() = default;
  // Grants that fail to open or whose granter key changed are left out and logged (once).
  virtual Result<std::vector<IncomingShare>> list() = 0; };
}
