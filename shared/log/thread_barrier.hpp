#pragma once

#include <exception>
#include <string_view>

#include "util/result.hpp"

namespace coffer::log {

// Logs what escaped a background thread's work and turns it into Errc::internal.
Error report_thrown(std::string_view where, const char* what);

// The one exception barrier of a background thread: whatever `body` throws is logged with
// `where` and comes back as an error, so the thread decides what to do next (keep the op,
// retry, stop cleanly) and an exception never reaches std::terminate. Exceptions are kept for
// programming errors (util/result.hpp), so reaching this is a bug to report; the point is
// that one bad op costs that op, not the mount.
template <class Body>
Status barrier(std::string_view where, Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return report_thrown(where, e.what());
  } catch (...) {
    return report_thrown(where, "an exception that is not a std::exception");
  }
}

}  // namespace coffer::log
