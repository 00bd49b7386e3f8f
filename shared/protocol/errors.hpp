#pragma once

#include <string>

#include "protocol/json_reader.hpp"

namespace coffer::protocol {

// The body of every error response: {"error": CODE, "message": TEXT, ...details}. Codes:
// bad_request, unauthenticated, forbidden, not_found, conflict, not_empty, too_large,
// rate_limited, quota_exceeded, unavailable, internal.
struct ErrorBody {
  std::string error;
  std::string message;
  Json details = Json::object();  // extra fields, e.g. "current_version" on a stale commit
  static Result<ErrorBody> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const ErrorBody& value);

}  // namespace coffer::protocol
