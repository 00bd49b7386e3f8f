#pragma once

#include <string>

#include "protocol/links.hpp"
#include "server/service/caller.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// Share links (docs/api.md, "Links"; docs/server.md, "Links"): people without an account read
// one file or folder through a URL whose key the server never sees. The server keeps the id,
// the node, the sealed key, the expiry and the download count, and enforces them.
class LinkService {
 public:
  explicit LinkService(Context& context) : context_(context) {}

  // The caller needs the manage role on the node; files and folders other than a root only;
  // at most protocol::kMaxLinksPerUser live links per user (Errc::invalid_argument with the
  // detail "too_many_links"). Errc::already_exists for a link id in use.
  Outcome<protocol::CreateLinkResponse> create(const Caller& caller, const protocol::CreateLinkRequest& request);
  Outcome<protocol::LinkList> list(const Caller& caller);
  // The creator's own link only (Errc::not_found otherwise); a revoked link is deleted.
  Outcome<Done> revoke(const Caller& caller, const std::string& link_id);

  // No session: anyone with the id. Errc::not_found for an unknown, revoked or no longer
  // usable link; Errc::gone once expired or its downloads are used up; Errc::rate_limited while
  // the address (or the address and link) is backing off after such failures.
  Outcome<protocol::LinkInfo> info(const std::string& link_id, const std::string& address);
  // Counts one download and hands out a read-only token, in one transaction.
  Outcome<protocol::LinkOpened> open(const std::string& link_id, const std::string& address);

 private:
  template <class T>
  Outcome<T> refused(const std::string& link_id, const std::string& address, Outcome<T> outcome);

  Context& context_;
};

// The caller behind a link token ("link." + 64 hex): Errc::unauthenticated for an unknown or
// expired token or a revoked link.
Result<Caller> authenticate_link(Context& context, std::string_view token, const std::string& address);
bool is_link_token(std::string_view token);

// A link token lives at most this long after the opening that handed it out.
inline constexpr std::int64_t kLinkTokenLifetime = 12 * 3600;

}  // namespace coffer::server::service
