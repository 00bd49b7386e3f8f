#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "profile/profile_paths.hpp"
#include "util/result.hpp"

namespace coffer::profile {

// The client options of coffer.yaml (man/coffer.yaml.5 "CLIENT OPTIONS"), read from the
// profile folder. Every option has a default; a missing file means all defaults.
struct ClientConfig {
  std::uint64_t cache_size = 2ull << 30;    // cache.size: ciphertext chunks on disk (LRU)
  std::uint64_t memory_cache = 64ull << 20;  // cache.memory: decrypted chunks in memory
  std::uint32_t chunk_size = 1u << 20;       // chunk_size: plaintext bytes per chunk of new versions
  std::int64_t upload_parallel = 8;          // upload.parallel: blob uploads at once
  std::uint64_t batch_size = 8ull << 20;     // upload.batch_size: bytes per batch request
  std::uint64_t inline_limit = 256ull << 10;  // upload.inline_limit: files this small ride in the batch
  std::int64_t readahead = 8;                // read.readahead: chunks fetched ahead of a sequential reader
  bool journal_sync = false;                 // journal.sync: close (fsync as each file closes) or background
  std::chrono::seconds journal_flush_interval{1};  // journal.flush_interval: background fsync period
  std::chrono::seconds connect_timeout{5};   // network.connect_timeout
  std::chrono::seconds stall_timeout{60};    // network.stall_timeout
  std::int64_t retries = 6;                  // network.retries
  std::chrono::seconds foreground_timeout{5};  // network.foreground_timeout: a FUSE operation waits this long for the server
  std::chrono::seconds fsync_timeout{300};   // mount.fsync_timeout: fsync waits this long for the server
  std::chrono::seconds attr_timeout{60};     // mount.attr_timeout: kernel attribute and entry cache
  std::chrono::seconds unmount_timeout{600};  // mount.unmount_timeout: unmount waits this long for uploads
  std::string log_level = "info";            // log.level
};

Result<ClientConfig> load_client_config(const ProfilePaths& paths);
// The same from text (the unit tests).
Result<ClientConfig> parse_client_config(std::string_view yaml, const std::string& source);

}  // namespace coffer::profile
