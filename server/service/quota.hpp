#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>

#include "server/service/outcome.hpp"
#include "server/storage/metadata_store.hpp"

namespace coffer::server::service {

// Quota (docs/server.md, "Quota"). The metadata store charges every row it keeps to users.used
// and refuses a write that would pass the quota (Errc::quota_exceeded); the blob store publishes
// a blob only inside the transaction that charges it. What is left here: the answer that names
// the numbers, and the reservations that refuse an upload before its body is read.

// The usage of a user as the API and coffer-admin show it (GET /v1/usage, GET /v1/account,
// GET /v1/admin/users, `coffer status`, `coffer-admin user list`): one definition.
struct UsageView {
  std::uint64_t used = 0;
  std::optional<std::uint64_t> quota;
};
UsageView usage_of(const storage::UserRecord& user);

// The over-quota answer for `user_id`: Errc::quota_exceeded with a message naming the usage and
// the quota, and details {"used", "quota"} (and "needed" when known).
Outcome<Done> quota_exceeded(storage::Transaction& txn, std::int64_t user_id,
                             std::optional<std::uint64_t> needed = std::nullopt);

// The store says only that a write would pass a quota; inside the same transaction this puts the
// caller's numbers into the answer. Other outcomes pass unchanged.
template <class T>
Outcome<T> explain_quota(storage::Transaction& txn, std::int64_t user_id, Outcome<T> outcome) {
  if (outcome || outcome.error().code != Errc::quota_exceeded || !outcome.details().empty()) return outcome;
  auto explained = quota_exceeded(txn, user_id);
  return Outcome<T>(explained.error(), explained.details());
}

// Quota held for uploads whose bytes are still arriving, in memory: an upload reserves its
// declared length (or, without one, 1 MiB at a time as the bytes come) before it reads them, and
// the reservation fits only when the stored usage, everything reserved and the new bytes stay
// within the quota. The transaction that finally charges the blob is the hard limit; reservations
// only make parallel uploads near the quota fail before their bodies are read and written. A
// reservation is released after that transaction ends (for a moment the bytes count twice, so a
// concurrent reservation errs towards refusing). A restart forgets them, as it forgets the uploads.
class QuotaReservations {
 public:
  struct Reading {
    std::optional<std::uint64_t> quota;
    std::uint64_t used = 0;
  };
  using ReadUsage = std::function<Outcome<Reading>()>;

  // Reserves `bytes` for the user; `read` gives the stored usage and is called under the lock, so
  // a settled upload is never missed. Errc::quota_exceeded (details: used, reserved, quota) when
  // they do not fit. A user without a quota reserves nothing and always fits.
  Outcome<Done> reserve(std::int64_t user_id, std::uint64_t bytes, const ReadUsage& read);
  void release(std::int64_t user_id, std::uint64_t bytes);
  std::uint64_t reserved(std::int64_t user_id) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::int64_t, std::uint64_t> reserved_;  // user id -> bytes reserved by uploads in flight
};

}  // namespace coffer::server::service
