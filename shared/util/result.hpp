#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "util/error.hpp"

namespace coffer {

// A value or an Error, in the spirit of C++23 std::expected (g++ 12 in C++20 mode lacks it).
// Errors travel as values inside the cores; exceptions are kept for programming errors.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(state_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const& { assert(failed_); return error_; }
  Error&& error() && { assert(failed_); return std::move(error_); }

 private:
  Error error_{Errc::internal, {}};
  bool failed_ = false;
};

using Status = Result<void>;

inline Error make_error(Errc code, std::string message) { return Error(code, std::move(message)); }

}  // namespace coffer

// Propagates an error from an expression yielding a Result, otherwise yields nothing.
#define COFFER_TRY_STATUS(expr)                          \
  do {                                                   \
    auto coffer_try_result_ = (expr);                    \
    if (!coffer_try_result_) return std::move(coffer_try_result_).error(); \
  } while (0)
