#include <doctest/doctest.h>

#include <iterator>
#include <set>
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
      {Errc::not_found, 404, "not_found"},           {Errc::already_exists, 409, "already_exists"},
      {Errc::conflict, 409, "conflict"},             {Errc::not_empty, 409, "not_empty"},
      {Errc::cross_device, 409, "different_owners"}, {Errc::is_a_directory, 409, "is_a_folder"},
      {Errc::not_a_directory, 409, "not_a_folder"},  {Errc::proof_failed, 403, "proof_failed"},
      {Errc::too_large, 413, "too_large"},           {Errc::rate_limited, 429, "rate_limited"},
      {Errc::unavailable, 503, "unavailable"},       {Errc::quota_exceeded, 507, "quota_exceeded"},
      {Errc::io, 500, "internal"},                   {Errc::internal, 500, "internal"},
      {Errc::last_admin, 409, "last_admin"},         {Errc::gone, 410, "gone"},
  };
  for (const auto& row : table) {
    CAPTURE(coffer::errc_name(row.code));
    CHECK(http_status(row.code) == row.status);
    CHECK(std::string(error_code(row.code)) == row.name);
  }
}

TEST_CASE("each cause a client acts on has its own code") {
  // The 409s and 403s a client tells apart (a stale base, a taken name, a folder with entries,
  // another owner's tree, a type mismatch, the last admin; no access, a wrong proof of the password).
  const Errc causes[] = {Errc::conflict,        Errc::already_exists,    Errc::not_empty,
                         Errc::cross_device,    Errc::is_a_directory,    Errc::not_a_directory,
                         Errc::last_admin,      Errc::permission_denied, Errc::proof_failed};
  std::set<std::string> codes;
  for (Errc code : causes) codes.insert(error_code(code));
  CHECK(codes.size() == std::size(causes));
}

TEST_CASE("only the server's own failures hide their message") {
  CHECK_FALSE(message_is_public(Errc::io));
  CHECK_FALSE(message_is_public(Errc::internal));
  CHECK(message_is_public(Errc::unavailable));
  CHECK(message_is_public(Errc::quota_exceeded));  // says how much is used and allowed
  CHECK(message_is_public(Errc::invalid_argument));
  CHECK(message_is_public(Errc::conflict));
}
