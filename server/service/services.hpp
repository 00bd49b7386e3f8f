#pragma once

#include "server/service/admin_service.hpp"
#include "server/service/auth_service.hpp"
#include "server/service/batch_service.hpp"
#include "server/service/change_notifier.hpp"
#include "server/service/change_service.hpp"
#include "server/service/content_service.hpp"
#include "server/service/context.hpp"
#include "server/service/link_service.hpp"
#include "server/service/login_throttle.hpp"
#include "server/service/node_service.hpp"
#include "server/service/share_service.hpp"
#include "server/service/trash_service.hpp"

namespace coffer::server::service {

// Every service over one set of stores, as cofferd and coffer-admin use them. Not movable:
// the services keep references into it.
class Services {
 public:
  Services(storage::MetadataStore& metadata, storage::BlobStore& blobs, const ServerConfig& config,
           Clock clock = system_seconds)
      : throttle_(config.login_backoff),
        context_{metadata, blobs, config, notifier_, throttle_, std::move(clock)},
        auth(context_), nodes(context_), content(context_), batch(context_, nodes, content), changes(context_),
        trash(context_), admin(context_), shares(context_), links(context_) {}
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  ChangeNotifier& notifier() { return notifier_; }
  const ServerConfig& config() const { return context_.config; }

 private:
  ChangeNotifier notifier_;
  LoginThrottle throttle_;
  Context context_;

 public:
  AuthService auth;
  NodeService nodes;
  ContentService content;
  BatchService batch;
  ChangeService changes;
  TrashService trash;
  AdminService admin;
  ShareService shares;
  LinkService links;
};

}  // namespace coffer::server::service
