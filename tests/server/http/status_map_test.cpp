#include <doctest/doctest.h>

#include <string>

#include "server/http/status_map.hpp"

using coffer::Errc;
using namespace coffer::server::http;

TEST_CASE("every error kind has the status and code docs/api.md lists") {
  struct Row {
    Errc code;
    int status;
    const char* name;
  };
  const Row table[] = {
      {Errc::invalid_argument, 400, "bad_request"},  {Errc::invalid_token, 400, "bad_request"},
      {Errc::integrity, 400, "bad_request"},         {Errc::unsupported, 400, "bad_request"},
      {Errc::unauthenticated, 401, "unauthenticated"}, {Errc::permission_denied, 403, "forbidden"},
      {Errc::not_found, 404, "not_found"},           {Errc::already_exists, 409, "conflict"},
      {Errc::conflict, 409, "conflict"},             {Errc::not_empty, 409, "not_empty"},
      {Errc::too_large, 413, "too_large"},           {Errc::rate_limited, 429, "rate_limited"},
      {Errc::unavailable, 503, "unavailable"},       {Errc::quota_exceeded, 507, "quota_exceeded"},
      {Errc::io, 500, "internal"},                   {Errc::internal, 500, "internal"},
  };
  for (const auto& row : table) {
    CAPTURE(coffer::errc_name(row.code));
    CHECK(http_status(row.code) == row.status);
    CHECK(std::string(error_code(row.code)) == row.name);
  }
}

TEST_CASE("only the server's own failures hide their message") {
  CHECK_FALSE(message_is_public(Errc::io));
  CHECK_FALSE(message_is_public(Errc::internal));
  CHECK(message_is_public(Errc::unavailable));
  CHECK(message_is_public(Errc::invalid_argument));
  CHECK(message_is_public(Errc::conflict));
}
