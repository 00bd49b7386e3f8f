#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_reader.hpp"

namespace coffer::protocol {

// GET /v1/admin/users
struct AdminUser {
  std::string user;
  std::int64_t user_id = 0;
  bool admin = false;
  bool disabled = false;
  bool pending = false;  // invited, not registered yet
  std::int64_t created_at = 0;
  std::optional<std::uint64_t> quota;
  std::uint64_t used = 0;
  static Result<AdminUser> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const AdminUser& value);

struct AdminUserList {
  std::vector<AdminUser> users;
  static Result<AdminUserList> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const AdminUserList& value);

// GET /v1/admin/stats
struct ServerStats {
  std::uint64_t users = 0;
  std::uint64_t sessions = 0;  // live (not expired, not revoked)
  std::uint64_t nodes = 0;
  std::uint64_t versions = 0;
  std::uint64_t blobs = 0;
  std::uint64_t bytes = 0;  // stored blob bytes
  std::uint64_t links = 0;  // live: not expired, downloads left
  static Result<ServerStats> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const ServerStats& value);

// GET /v1/admin/audit
struct AuditEvent {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string event;  // e.g. login_ok, login_failed, session_created, session_revoked, admin_*
  std::optional<std::string> user;
  std::string address;  // remote address, or "local" for coffer-admin
  std::string detail;
  static Result<AuditEvent> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const AuditEvent& value);

struct AuditList {
  std::vector<AuditEvent> events;
  static Result<AuditList> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const AuditList& value);

}  // namespace coffer::protocol
