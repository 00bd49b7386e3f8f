#pragma once

#include "server/service/change_notifier.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// Runs `body(Transaction&) -> Outcome<T>` in a transaction. A write commits only when the body
// succeeds, then wakes change-feed waiters; on failure everything the body did is undone.
template <class T, class Body>
Outcome<T> in_transaction(Context& context, storage::TransactionMode mode, Body&& body) {
  auto txn = context.metadata.begin(mode);
  if (!txn) return txn.error();
  Outcome<T> outcome = body(**txn);
  if (!outcome || mode == storage::TransactionMode::read) return outcome;
  if (auto committed = (*txn)->commit(); !committed) return committed.error();
  context.notifier.notify();
  return outcome;
}

template <class T, class Body>
Outcome<T> in_write(Context& context, Body&& body) {
  return in_transaction<T>(context, storage::TransactionMode::write, std::forward<Body>(body));
}

template <class T, class Body>
Outcome<T> in_read(Context& context, Body&& body) {
  return in_transaction<T>(context, storage::TransactionMode::read, std::forward<Body>(body));
}

}  // namespace coffer::server::service
