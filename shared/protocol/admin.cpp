#include "protocol/admin.hpp"

namespace coffer::protocol {
namespace {

Json optional_number(const std::optional<std::uint64_t>& value) { return value ? Json(*value) : Json(nullptr); }

}  // namespace

Result<AdminUser> AdminUser::from_json(const Json& value, const std::string& path) {
  AdminUser out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("user", out.user, TextRule::user_name());
  in.number("user_id", out.user_id);
  in.boolean("admin", out.admin);
  in.boolean("disabled", out.disabled);
  in.boolean("pending", out.pending);
  in.number("created_at", out.created_at);
  in.optional_number("quota", out.quota);
  in.number("used", out.used);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const AdminUser& value) {
  out = Json{{"user", value.user},         {"user_id", value.user_id},
             {"admin", value.admin},       {"disabled", value.disabled},
             {"pending", value.pending},   {"created_at", value.created_at},
             {"quota", optional_number(value.quota)}, {"used", value.used}};
}

Result<AdminUserList> AdminUserList::from_json(const Json& value, const std::string& path) {
  AdminUserList out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("users", out.users, SIZE_MAX, AdminUser::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const AdminUserList& value) { out = Json{{"users", value.users}}; }

Result<ServerStats> ServerStats::from_json(const Json& value, const std::string& path) {
  ServerStats out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.number("users", out.users);
  in.number("sessions", out.sessions);
  in.number("nodes", out.nodes);
  in.number("versions", out.versions);
  in.number("blobs", out.blobs);
  in.number("bytes", out.bytes);
  in.number("links", out.links);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const ServerStats& value) {
  out = Json{{"users", value.users},       {"sessions", value.sessions}, {"nodes", value.nodes},
             {"versions", value.versions}, {"blobs", value.blobs},       {"bytes", value.bytes},
             {"links", value.links}};
}

Result<AuditEvent> AuditEvent::from_json(const Json& value, const std::string& path) {
  AuditEvent out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.number("id", out.id);
  in.number("at", out.at);
  in.text("event", out.event, TextRule::any(64));
  in.optional_text("user", out.user, TextRule::any(64));
  in.text("address", out.address, TextRule::any(128));
  in.text("detail", out.detail, TextRule::any(4096));
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const AuditEvent& value) {
  out = Json{{"id", value.id},
             {"at", value.at},
             {"event", value.event},
             {"user", value.user ? Json(*value.user) : Json(nullptr)},
             {"address", value.address},
             {"detail", value.detail}};
}

Result<AuditList> AuditList::from_json(const Json& value, const std::string& path) {
  AuditList out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("events", out.events, SIZE_MAX, AuditEvent::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const AuditList& value) { out = Json{{"events", value.events}}; }

}  // namespace coffer::protocol
