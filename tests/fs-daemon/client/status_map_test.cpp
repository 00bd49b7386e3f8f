#include <doctest/doctest.h>

#include <string>

#include "client/status_map.hpp"

using coffer::Errc;
using coffer::client::error_from_response;
using coffer::client::HttpResponse;

namespace {

HttpResponse answer(long status, const std::string& code) {
  const std::string body = code.empty() ? "" : R"({"error": ")" + code + R"(", "message": "m"})";
  return HttpResponse{status, coffer::Bytes(body.begin(), body.end()), {}};
}

}  // namespace

TEST_CASE("the server's error code names the cause, whatever the request was") {
  struct Row {
    long status;
    const char* code;
    Errc expected;
  };
  const Row table[] = {
      {409, "conflict", Errc::conflict},        {409, "already_exists", Errc::already_exists},
      {409, "not_empty", Errc::not_empty},      {409, "different_owners", Errc::cross_device},
      {409, "is_a_folder", Errc::is_a_directory}, {409, "not_a_folder", Errc::not_a_directory},
      {403, "proof_failed", Errc::proof_failed}, {403, "forbidden", Errc::permission_denied},
      {424, "not_applied", Errc::aborted},       {429, "rate_limited", Errc::rate_limited},
      {507, "quota_exceeded", Errc::quota_exceeded}, {409, "last_admin", Errc::last_admin},
      {410, "gone", Errc::gone},
  };
  for (const auto& row : table) {
    CAPTURE(row.code);
    CHECK(error_from_response(answer(row.status, row.code), "op").code == row.expected);
  }
}

TEST_CASE("an unknown code falls back on the status") {
  CHECK(error_from_response(answer(409, "something_new"), "op").code == Errc::conflict);
  CHECK(error_from_response(answer(404, ""), "op").code == Errc::not_found);
  CHECK(error_from_response(answer(502, ""), "op").code == Errc::unavailable);
  CHECK(error_from_response(answer(410, ""), "op").code == Errc::gone);
  const auto error = error_from_response(answer(409, "already_exists"), "create");
  CHECK(error.message.find("already_exists") != std::string::npos);
}
