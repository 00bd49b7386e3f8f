#pragma once

#include <nlohmann/json.hpp>

#include "crypto/attributes.hpp"

namespace coffer::sync {

// Plaintext attributes as JSON, for what the client keeps sealed under its own keys: the
// journal's records (sync/journal_op.cpp) and the metadata cache's (vfs/metadata_records.cpp).
// Times are [seconds, nanoseconds], xattr values base64url.
nlohmann::json attributes_json(const crypto::Attributes& attributes);
// Throws nlohmann::json::exception or std::invalid_argument on a malformed object; callers
// decode inside one try.
crypto::Attributes attributes_from(const nlohmann::json& j);

}  // namespace coffer::sync
