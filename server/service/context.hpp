#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "server/config/server_config.hpp"
#include "server/storage/blob_store.hpp"
#include "server/storage/metadata_store.hpp"

namespace coffer::server::service {

class ChangeNotifier;
class LoginThrottle;

// Seconds since the Unix epoch; tests substitute their own.
using Clock = std::function<std::int64_t()>;
std::int64_t system_seconds();

// What every service works with. Owned by the program (cofferd or coffer-admin), which keeps it
// alive longer than any service.
struct Context {
  storage::MetadataStore& metadata;
  storage::BlobStore& blobs;
  const ServerConfig& config;
  ChangeNotifier& notifier;
  LoginThrottle& throttle;
  Clock clock = system_seconds;
};

}  // namespace coffer::server::service
