#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "protocol/changes.hpp"
#include "server/service/caller.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// GET /v1/changes: the changes after a cursor to nodes the caller may read (or to entries of
// folders they may read), oldest first; waits up to `timeout` when there are none yet.
class ChangeService {
 public:
  explicit ChangeService(Context& context) : context_(context) {}

  // `cursor` none: "latest", the current end of the feed, at once.
  Outcome<protocol::ChangePage> changes(const Caller& caller, std::optional<std::uint64_t> cursor,
                                        std::chrono::seconds timeout);

 private:
  Outcome<protocol::ChangePage> read_once(const Caller& caller, std::uint64_t cursor);

  Context& context_;
};

}  // namespace coffer::server::service
