#include "server/service/quota.hpp"

#include <string>

namespace coffer::server::service {
namespace {

std::string bytes_text(std::uint64_t bytes) { return std::to_string(bytes) + " bytes"; }

}  // namespace

UsageView usage_of(const storage::UserRecord& user) { return UsageView{user.used, user.quota}; }

Outcome<Done> quota_exceeded(storage::Transaction& txn, std::int64_t user_id, std::optional<std::uint64_t> needed) {
  auto user = txn.users().find_by_id(user_id);
  if (!user) return user.error();
  if (!*user) return make_error(Errc::unauthenticated, "the account no longer exists");
  const UsageView usage = usage_of(**user);
  protocol::Json details{{"used", usage.used}, {"quota", nullptr}};
  if (usage.quota) details["quota"] = *usage.quota;
  std::string message = "over quota: " + bytes_text(usage.used) + " of " +
                        (usage.quota ? bytes_text(*usage.quota) : std::string("an unlimited quota")) + " used";
  if (needed) {
    details["needed"] = *needed;
    message += "; this needs " + bytes_text(*needed) + " more";
  }
  if (!usage.quota) message = "over the quota of the folder's owner";  // a grantee's write into another tree
  return Outcome<Done>(make_error(Errc::quota_exceeded, message), std::move(details));
}

Outcome<Done> QuotaReservations::reserve(std::int64_t user_id, std::uint64_t bytes, const ReadUsage& read) {
  std::lock_guard lock(mutex_);
  auto reading = read();
  if (!reading) return Outcome<Done>(reading.error(), reading.details());
  if (!reading->quota) return Done{};
  std::uint64_t& reserved = reserved_[user_id];
  if (reading->used + reserved + bytes > *reading->quota) {
    const std::uint64_t held = reserved;
    if (held == 0) reserved_.erase(user_id);
    return Outcome<Done>(make_error(Errc::quota_exceeded, "over quota: " + bytes_text(reading->used) + " of " +
                                                              bytes_text(*reading->quota) + " used and " +
                                                              bytes_text(held) + " reserved by uploads in progress; " +
                                                              "this upload needs " + bytes_text(bytes) + " more"),
                         protocol::Json{{"used", reading->used}, {"quota", *reading->quota}, {"reserved", held},
                                        {"needed", bytes}});
  }
  reserved += bytes;
  return Done{};
}

void QuotaReservations::release(std::int64_t user_id, std::uint64_t bytes) {
  if (bytes == 0) return;
  std::lock_guard lock(mutex_);
  auto it = reserved_.find(user_id);
  if (it == reserved_.end()) return;
  it->second -= std::min(bytes, it->second);
  if (it->second == 0) reserved_.erase(it);
}

std::uint64_t QuotaReservations::reserved(std::int64_t user_id) const {
  std::lock_guard lock(mutex_);
  auto it = reserved_.find(user_id);
  return it == reserved_.end() ? 0 : it->second;
}

}  // namespace coffer::server::service
