#pragma once

#include <utility>

#include "protocol/json_reader.hpp"
#include "util/result.hpp"

namespace coffer::server::service {

// A service answer: a value, or an Error with optional JSON details the client needs to
// recover (what is current after a conflict). The HTTP layer turns the Error into a status
// through its one status map and merges the details into the error body.
template <class T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : result_(std::move(value)) {}
  Outcome(Error error, protocol::Json details = protocol::Json::object())
      : result_(std::move(error)), details_(std::move(details)) {}
  Outcome(Result<T> result) : result_(std::move(result)) {}

  bool ok() const noexcept { return result_.ok(); }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return result_.value(); }
  T&& value() && { return std::move(result_).value(); }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }
  const Error& error() const& { return result_.error(); }
  const protocol::Json& details() const { return details_; }

 private:
  Result<T> result_;
  protocol::Json details_ = protocol::Json::object();
};

// The value of operations that answer with no body (HTTP 204).
struct Done {};

}  // namespace coffer::server::service
