#include "remote/share_api.hpp"

namespace coffer::remote {

const char* share_role_name(ShareRole role) noexcept {
  switch (role) {
    case ShareRole::read: return "read";
    case ShareRole::write: return "write";
    case ShareRole::manage: return "manage";
  }
  return "read";
}

std::optional<ShareRole> share_role_from_name(std::string_view name) noexcept {
  if (name == "read") return ShareRole::read;
  if (name == "write") return ShareRole::write;
  if (name == "manage") return ShareRole::manage;
  return std::nullopt;
}

}  // namespace coffer::remote
