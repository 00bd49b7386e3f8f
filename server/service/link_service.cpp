#include "server/service/link_service.hpp"

#include <algorithm>

#include "protocol/formats.hpp"
#include "server/acl/access_check.hpp"
#include "server/acl/link_access.hpp"
#include "server/service/login_throttle.hpp"
#include "server/service/secrets.hpp"
#include "server/service/transactions.hpp"

namespace coffer::server::service {
namespace {

using storage::Transaction;

constexpr std::string_view kTokenPrefix = "link.";
constexpr std::size_t kMaxListed = 10 * protocol::kMaxLinksPerUser;  // live or ended, per user
// Live tokens of one link: anyone with its id can open it again and again, and each opening
// adds a token row; past this the oldest token is dropped (its reader opens the link again).
constexpr std::size_t kMaxTokensPerLink = 1000;
constexpr std::int64_t kEndedLinksKeptSeconds = 30 * 24 * 3600;     // an expired link, in `link list`
// Openings of one link logged in the audit per 24 hours: anyone with a link without a download
// limit can open it without end, and each row stays. Later openings are still counted in the
// link's downloads, which `coffer link list` shows.
constexpr std::size_t kOpeningsAuditedPerDay = 100;
constexpr std::int64_t kDay = 24 * 3600;

Status audit(Transaction& txn, std::int64_t now, const char* event, const std::optional<std::string>& user,
             const std::string& address, const std::string& detail) {
  return txn.audit().append(storage::AuditRecord{0, now, event, user, address, detail});
}

// The opening's audit row, unless the link had its day's share of rows already; the last row
// of the day says so.
Status audit_opening(Transaction& txn, std::int64_t now, const storage::LinkRecord& link, const std::string& creator,
                     const std::string& address) {
  const std::string prefix = "link " + link.id + ",";
  auto logged = txn.audit().count_since(now - kDay + 1, "link_opened", prefix);
  if (!logged) return logged.error();
  if (*logged >= kOpeningsAuditedPerDay) return {};
  std::string detail = prefix + " download " + std::to_string(link.downloads + 1) +
                       (link.max_downloads ? " of " + std::to_string(*link.max_downloads) : "");
  if (*logged + 1 == kOpeningsAuditedPerDay) detail += "; further openings within 24 hours are counted, not logged";
  return audit(txn, now, "link_opened", creator, address, detail);
}

std::string throttle_key(const std::string& link_id) { return "link:" + link_id; }

bool expired(const storage::LinkRecord& link, std::int64_t now) { return link.expires_at && *link.expires_at <= now; }
bool used_up(const storage::LinkRecord& link) { return link.max_downloads && link.downloads >= *link.max_downloads; }

Error gone() { return make_error(Errc::gone, "the link expired or its downloads are used up"); }

std::optional<protocol::LinkPassword> password_of(const storage::LinkRecord& link) {
  if (!link.password) return std::nullopt;
  auto json = protocol::parse_json_text(*link.password);
  if (!json) return std::nullopt;
  auto password = protocol::LinkPassword::from_json(*json);
  if (!password) return std::nullopt;
  return std::move(*password);
}

// A usable link and its creator's name: Errc::not_found or Errc::gone otherwise.
Result<std::pair<storage::LinkRecord, std::string>> usable_link(Transaction& txn, const std::string& link_id,
                                                                std::int64_t now) {
  auto link = txn.links().find(link_id);
  if (!link) return link.error();
  if (!*link) return make_error(Errc::not_found, "no such link");
  auto node = acl::check_link_usable(txn, **link);
  if (!node) return node.error();
  if (expired(**link, now) || used_up(**link)) return gone();
  auto creator = txn.users().find_by_id((*link)->creator_id);
  if (!creator) return creator.error();
  if (!*creator || (*creator)->disabled) return make_error(Errc::not_found, "no such link");
  return std::make_pair(std::move(**link), (*creator)->name);
}

Error rate_limited(std::int64_t seconds) {
  return make_error(Errc::rate_limited, "too many attempts at unknown or used links; retry in " +
                                            std::to_string(seconds) + " s");
}

}  // namespace

bool is_link_token(std::string_view token) {
  return token.substr(0, kTokenPrefix.size()) == kTokenPrefix && protocol::is_hex(token.substr(kTokenPrefix.size()), 64);
}

Result<Caller> authenticate_link(Context& context, std::string_view token, const std::string& address) {
  if (!is_link_token(token)) return make_error(Errc::unauthenticated, "missing or malformed bearer token");
  const std::int64_t now = context.clock();
  auto caller = in_read<Caller>(context, [&](Transaction& txn) -> Outcome<Caller> {
    auto found = txn.links().find_token(secret_hash(token));
    if (!found) return found.error();
    if (!*found || (*found)->expires_at <= now) return make_error(Errc::unauthenticated, "the link token is unknown or expired");
    auto link = txn.links().find((*found)->link_id);
    if (!link) return link.error();
    if (!*link) return make_error(Errc::unauthenticated, "the link was revoked");
    auto creator = txn.users().find_by_id((*link)->creator_id);  // disabling an account ends its tokens
    if (!creator) return creator.error();
    if (!*creator || (*creator)->disabled) return make_error(Errc::unauthenticated, "the link's owner is disabled");
    Caller caller;
    caller.address = address;
    caller.link = LinkAccess{(*link)->id, (*link)->node_id};
    return caller;
  });
  if (!caller) return caller.error();
  return std::move(caller).value();
}

Outcome<protocol::CreateLinkResponse> LinkService::create(const Caller& caller, const protocol::CreateLinkRequest& request) {
  if (caller.link) return make_error(Errc::permission_denied, "a link cannot make links");
  const std::int64_t now = context_.clock();
  if (request.expires_at && *request.expires_at <= now) {
    return make_error(Errc::invalid_argument, "expires_at: the time is already past");
  }
  return in_write<protocol::CreateLinkResponse>(context_, [&](Transaction& txn) -> Outcome<protocol::CreateLinkResponse> {
    auto node = acl::check_access(txn, caller.user_id, request.node_id, storage::Access::manage);
    if (!node) return node.error();
    if (node->trashed_at) return make_error(Errc::not_found, "the node is in the trash");
    const bool folder = node->type == storage::NodeType::folder;
    if (!folder && node->type != storage::NodeType::file) {
      return make_error(Errc::invalid_argument, "only files and folders can be linked");
    }
    if (folder != (request.kind == "folder")) {
      return make_error(Errc::invalid_argument, "kind: the node is a " + std::string(folder ? "folder" : "file"));
    }
    if (folder) {
      auto entries = txn.nodes().count_entries_of(node->id);
      if (!entries) return entries.error();
      if (*entries == 0) return make_error(Errc::invalid_argument, "a root folder cannot be linked; link a folder in it");
    }
    // Ended links stay listed (with why they ended) for a while, then go; all of a user's links
    // together are bounded, so links that end by downloads cannot pile up without limit.
    COFFER_TRY_STATUS(txn.links().remove_expired_before(caller.user_id, now - kEndedLinksKeptSeconds));
    auto all = txn.links().count_all(caller.user_id);
    if (!all) return all.error();
    if (*all >= kMaxListed) {
      return Outcome<protocol::CreateLinkResponse>(
          make_error(Errc::invalid_argument, "at most " + std::to_string(kMaxListed) +
                                                 " links per user, live or ended; revoke ended ones first"),
          protocol::Json{{"too_many_links", true}});
    }
    auto live = txn.links().count_live(caller.user_id, now);
    if (!live) return live.error();
    if (*live >= protocol::kMaxLinksPerUser) {
      return Outcome<protocol::CreateLinkResponse>(
          make_error(Errc::invalid_argument, "at most " + std::to_string(protocol::kMaxLinksPerUser) +
                                                 " live links per user; revoke some first"),
          protocol::Json{{"too_many_links", true}});
    }
    std::optional<std::string> password;
    if (request.password) password = protocol::Json(*request.password).dump();
    const storage::LinkRecord link{request.link_id, caller.user_id,  request.node_id,    request.kind,
                                   request.sealed_key, password,     request.label,      now,
                                   request.expires_at, request.max_downloads, 0};
    if (auto inserted = txn.links().insert(link); !inserted) {
      if (inserted.error().code == Errc::already_exists) return make_error(Errc::already_exists, "the link id is in use");
      return inserted.error();
    }
    COFFER_TRY_STATUS(audit(txn, now, "link_created", caller.user, caller.address,
                            "link " + link.id + " on " + link.kind + " " + link.node_id));
    return protocol::CreateLinkResponse{link.id, now};
  });
}

Outcome<protocol::LinkList> LinkService::list(const Caller& caller) {
  return in_read<protocol::LinkList>(context_, [&](Transaction& txn) -> Outcome<protocol::LinkList> {
    auto links = txn.links().list_by_creator(caller.user_id, kMaxListed);
    if (!links) return links.error();
    protocol::LinkList list;
    for (const auto& link : *links) {
      list.links.push_back(protocol::LinkSummary{link.id, link.node_id, link.kind, link.label, link.created_at,
                                                 link.expires_at, link.max_downloads, link.downloads,
                                                 link.password.has_value()});
    }
    return list;
  });
}

Outcome<Done> LinkService::revoke(const Caller& caller, const std::string& link_id) {
  const std::int64_t now = context_.clock();
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    auto link = txn.links().find(link_id);
    if (!link) return link.error();
    if (!*link || (*link)->creator_id != caller.user_id) return make_error(Errc::not_found, "no such link");
    COFFER_TRY_STATUS(txn.links().remove(link_id));
    COFFER_TRY_STATUS(audit(txn, now, "link_revoked", caller.user, caller.address, "link " + link_id));
    return Done{};
  });
}

// A failure of an anonymous caller (unknown, unusable or used link) counts in the backoff of
// its address and of the pair (link, address), as a failed login does.
template <class T>
Outcome<T> LinkService::refused(const std::string& link_id, const std::string& address, Outcome<T> outcome) {
  if (outcome) return outcome;
  const auto code = outcome.error().code;
  if (code == Errc::not_found || code == Errc::gone) {
    context_.throttle.record_failure({throttle_key(link_id), address}, context_.clock());
  }
  return outcome;
}

Outcome<protocol::LinkInfo> LinkService::info(const std::string& link_id, const std::string& address) {
  const std::int64_t now = context_.clock();
  const std::string key = throttle_key(link_id);
  if (const auto wait = context_.throttle.retry_after({key, address}, now); wait > 0) {
    return Outcome<protocol::LinkInfo>(rate_limited(wait), protocol::Json{{"retry_after", wait}});
  }
  return refused(link_id, address,
                 in_read<protocol::LinkInfo>(context_, [&](Transaction& txn) -> Outcome<protocol::LinkInfo> {
                   auto found = usable_link(txn, link_id, now);
                   if (!found) return found.error();
                   const auto& link = found->first;
                   return protocol::LinkInfo{link.kind, password_of(link), link.expires_at, link.max_downloads,
                                             link.downloads, found->second};
                 }));
}

Outcome<protocol::LinkOpened> LinkService::open(const std::string& link_id, const std::string& address) {
  const std::int64_t now = context_.clock();
  const std::string key = throttle_key(link_id);
  if (const auto wait = context_.throttle.retry_after({key, address}, now); wait > 0) {
    return Outcome<protocol::LinkOpened>(rate_limited(wait), protocol::Json{{"retry_after", wait}});
  }
  return refused(link_id, address,
                 in_write<protocol::LinkOpened>(context_, [&](Transaction& txn) -> Outcome<protocol::LinkOpened> {
                   auto found = usable_link(txn, link_id, now);
                   if (!found) return found.error();
                   const auto& link = found->first;
                   auto counted = txn.links().count_download(link_id, now);
                   if (!counted) return counted.error();
                   if (!*counted) return gone();
                   const std::string token = std::string(kTokenPrefix) + new_session_token();
                   const std::int64_t expires = std::min(link.expires_at.value_or(INT64_MAX), now + kLinkTokenLifetime);
                   COFFER_TRY_STATUS(txn.links().remove_expired_tokens(now));
                   COFFER_TRY_STATUS(txn.links().insert_token({secret_hash(token), link_id, now, expires}));
                   COFFER_TRY_STATUS(txn.links().keep_newest_tokens(link_id, kMaxTokensPerLink));
                   COFFER_TRY_STATUS(audit_opening(txn, now, link, found->second, address));
                   return protocol::LinkOpened{link.node_id, link.kind, link.sealed_key, token, expires, found->second};
                 }));
}

}  // namespace coffer::server::service
