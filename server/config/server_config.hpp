#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "config/reader.hpp"
#include "util/result.hpp"

namespace coffer::server {

// Where cofferd listens: a host name or address and a TCP port.
struct ListenAddress {
  std::string host = "127.0.0.1";
  int port = 8443;

  static Result<ListenAddress> parse(std::string_view text);  // "HOST:PORT" or "[V6]:PORT"
  bool is_loopback() const;
  std::string to_string() const;
};

struct Limits {
  std::uint64_t max_request_body = 16ull << 20;  // JSON bodies, the batch route included
  std::uint64_t max_commit_body = 40ull << 20;   // a version commit: a 2^18-chunk manifest and its chunk list
  std::uint64_t max_blob_size = 16ull << 20;
  std::int64_t max_header_count = 64;
  std::uint64_t max_header_bytes = 16ull << 10;  // all header names and values together
  std::chrono::seconds request_timeout{30};      // a write may stall this long; a body's grace before its minimum rate
  std::chrono::seconds keep_alive_timeout{5};    // idle between two requests on one connection
  std::chrono::seconds header_timeout{10};       // the whole request line and header, however they trickle in
  std::uint64_t body_min_rate = 32ull << 10;      // bytes a second a body must average after request_timeout
  std::int64_t max_connections = 2048;
  std::int64_t max_connections_per_address = 64;
  std::uint64_t max_body_memory = 128ull << 20;  // request bodies and their parsed JSON held at once
  std::chrono::seconds max_body_wait{300};       // for a share of max_body_memory, before a 503
  std::int64_t io_threads = 2;                   // threads that read and write sockets (TLS included)
  std::int64_t threads = 32;                     // workers that run handlers
  std::int64_t max_long_polls = 16;  // concurrent change-feed waits; more answer at once
};

struct SessionPolicy {
  std::chrono::seconds lifetime{std::chrono::hours(24 * 30)};
};

// Failed logins (docs/server.md, "Backoff"): after `free_failures` for a (user name, address)
// pair, or `address_free_failures` for an address, each further failure blocks it for
// base_delay * 2^(failures - free), capped at max_delay. At most `max_tracked` records.
struct LoginBackoff {
  std::int64_t free_failures = 5;
  std::int64_t address_free_failures = 20;
  std::int64_t max_tracked = 100000;
  std::chrono::seconds base_delay{1};
  std::chrono::seconds max_delay{std::chrono::minutes(15)};
};

struct AccountPolicy {
  std::optional<std::uint64_t> default_quota;  // none: unlimited
  std::chrono::seconds invite_lifetime{std::chrono::hours(24 * 7)};
};

// Backups cofferd takes by itself into `dir` (docs/server.md, "Backups"); none without a
// schedule. A run is due when the newest snapshot in `dir` is older than `every`, or older than
// the last `daily_at` (local time), so restarts never postpone one.
struct BackupSchedule {
  std::filesystem::path dir;
  std::optional<std::chrono::seconds> every;
  std::optional<std::chrono::minutes> daily_at;  // after local midnight
  std::int64_t keep = 14;                        // snapshots kept after each run; 0 keeps all
  bool enabled() const { return every.has_value() || daily_at.has_value(); }
};

// Garbage collection (docs/server.md, "Garbage collection"): cofferd runs it `interval` after
// start and then every `interval`; an upload nothing lists is kept for `grace`.
struct GcPolicy {
  std::chrono::seconds interval{std::chrono::hours(24)};
  std::chrono::seconds grace{std::chrono::hours(24)};
};

// Which old versions stay (docs/server.md, "Retention"): every version younger than `keep_all`,
// the newest of each UTC day younger than `daily`, the newest of each week younger than
// `weekly`, the current one always; then per user at most `max_old_bytes` (0: no cap) held only
// by old versions, the oldest going first. cofferd applies it, and the trash's age limit,
// every `interval`.
struct RetentionPolicy {
  std::chrono::seconds keep_all{std::chrono::hours(24)};
  std::chrono::seconds daily{std::chrono::hours(24 * 30)};
  std::chrono::seconds weekly{std::chrono::hours(24 * 365)};
  std::uint64_t max_old_bytes = 0;
  std::chrono::seconds interval{std::chrono::hours(1)};
};

// Nodes in the trash longer than `max_age` are purged (docs/server.md, "Trash expiry").
struct TrashPolicy {
  std::chrono::seconds max_age{std::chrono::hours(24 * 30)};
};

struct ServerConfig {
  std::filesystem::path data_dir;
  ListenAddress listen;
  std::string tls_certificate;  // PEM paths; both set means HTTPS
  std::string tls_private_key;
  bool allow_insecure_http = false;  // plain HTTP on a non-loopback address
  std::string log_level = "info";
  // A working copy of web/ served instead of the files built into cofferd (development);
  // empty: the built-in files (docs/server.md, "The web dashboard").
  std::filesystem::path web_root;
  Limits limits;
  SessionPolicy sessions;
  LoginBackoff login_backoff;
  AccountPolicy accounts;
  BackupSchedule backup;
  GcPolicy gc;
  RetentionPolicy retention;
  TrashPolicy trash;

  bool uses_tls() const { return !tls_certificate.empty(); }
  // Cross-option checks (a certificate without a key, plain HTTP off loopback, no data dir).
  Status validate() const;
};

// Reads every option from `reader` over the defaults; the reader reports unknown keys.
Result<ServerConfig> read_server_config(config::Reader reader);
Result<ServerConfig> load_server_config(const std::optional<std::filesystem::path>& file);

}  // namespace coffer::server
