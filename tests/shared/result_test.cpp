#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "util/result.hpp"

using coffer::Errc;
using coffer::Result;
using coffer::Status;

namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return coffer::make_error(Errc::invalid_argument, "not a digit");
  return c - '0';
}

Status check_all_digits(const std::string& s) {
  for (char c : s) COFFER_TRY_STATUS([&]() -> Status {
      auto r = parse_digit(c);
      if (!r) return r.error();
      return {};
    }());
  return {};
}

}  // namespace

TEST_CASE("Result carries a value or an error") {
  auto good = parse_digit('7');
  REQUIRE(good.ok());
  CHECK(*good == 7);

  auto bad = parse_digit('x');
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::invalid_argument);
  CHECK(bad.error().message == "not a digit");
}

TEST_CASE("Result holds move-only values") {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(5));
  REQUIRE(r);
  auto p = std::move(r).value();
  CHECK(*p == 5);
}

TEST_CASE("COFFER_TRY_STATUS stops at the first error") {
  CHECK(check_all_digits("0123").ok());
  auto st = check_all_digits("01a3");
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == Errc::invalid_argument);
  CHECK(std::string(coffer::errc_name(st.error().code)) == "invalid_argument");
}
