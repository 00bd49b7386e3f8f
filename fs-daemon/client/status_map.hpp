#pragma once

#include <nlohmann/json.hpp>

#include "client/http_client.hpp"
#include "util/error.hpp"

namespace coffer::client {

// The one place where HTTP statuses and the server's error codes become coffer::Errc.
Error error_from_response(const HttpResponse& response, std::string_view what);

// The JSON body of a response, or Errc::internal when the server sent something else.
Result<nlohmann::json> parse_json_body(const HttpResponse& response, std::string_view what);

}  // namespace coffer::client
