#include <doctest/doctest.h>

#include "server/http/byte_range.hpp"

using namespace coffer::server::http;

TEST_CASE("Range headers resolve against the blob size") {
  ByteRange range;
  CHECK(resolve_range("", 100, range) == RangeAnswer::whole);
  CHECK(range.length == 100);
  CHECK(resolve_range("bytes=10-19", 100, range) == RangeAnswer::partial);
  CHECK((range.offset == 10 && range.length == 10));
  CHECK(resolve_range("bytes=90-", 100, range) == RangeAnswer::partial);
  CHECK((range.offset == 90 && range.length == 10));
  CHECK(resolve_range("bytes=90-500", 100, range) == RangeAnswer::partial);
  CHECK(range.length == 10);
  CHECK(resolve_range("bytes=-30", 100, range) == RangeAnswer::partial);
  CHECK((range.offset == 70 && range.length == 30));
  CHECK(resolve_range("bytes=-300", 100, range) == RangeAnswer::partial);
  CHECK((range.offset == 0 && range.length == 100));
  CHECK(resolve_range("bytes=0-1,5-6", 100, range) == RangeAnswer::whole);
}

TEST_CASE("unsatisfiable and malformed ranges") {
  ByteRange range;
  CHECK(resolve_range("bytes=100-", 100, range) == RangeAnswer::unsatisfiable);
  CHECK(resolve_range("bytes=20-10", 100, range) == RangeAnswer::unsatisfiable);
  CHECK(resolve_range("bytes=-0", 100, range) == RangeAnswer::unsatisfiable);
  CHECK(resolve_range("bytes=0-", 0, range) == RangeAnswer::unsatisfiable);
  CHECK(resolve_range("items=0-1", 100, range) == RangeAnswer::unsatisfiable);
  CHECK(resolve_range("bytes=a-b", 100, range) == RangeAnswer::unsatisfiable);
  CHECK(resolve_range("bytes=5", 100, range) == RangeAnswer::unsatisfiable);
  CHECK(resolve_range("bytes=99999999999999999999999-", 100, range) == RangeAnswer::unsatisfiable);
}
