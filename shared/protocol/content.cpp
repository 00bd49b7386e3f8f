#include "protocol/content.hpp"

#include "protocol/formats.hpp"
#include "protocol/limits.hpp"

namespace coffer::protocol {

const TextRule& blob_id_rule() {
  static const TextRule rule = TextRule::hex(kBlobIdLength);
  return rule;
}

const TextRule& manifest_rule() {
  static const TextRule rule = TextRule::base64url(1, kMaxManifestBytes);
  return rule;
}

Result<BlobStored> BlobStored::from_json(const Json& value, const std::string& path) {
  BlobStored out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("blob_id", out.blob_id, blob_id_rule());
  in.number("size", out.size);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const BlobStored& value) { out = Json{{"blob_id", value.blob_id}, {"size", value.size}}; }

void CommitRequest::read(ObjectReader& in, CommitRequest& out) {
  in.number("base_version", out.base_version);
  in.number("version", out.version);
  in.text("manifest", out.manifest, manifest_rule());
  in.text_array("chunks", out.chunks, blob_id_rule(), kMaxChunksPerVersion);
  in.optional_number("plain_size_hint", out.plain_size_hint);
}

Status CommitRequest::check() const {
  if (version != base_version + 1) return make_error(Errc::invalid_argument, "version must be base_version + 1");
  return {};
}

Result<CommitRequest> CommitRequest::from_json(const Json& value, const std::string& path) {
  CommitRequest out;
  ObjectReader in(value, path, UnknownFields::refuse);
  read(in, out);
  COFFER_TRY_STATUS(in.finish());
  COFFER_TRY_STATUS(out.check());
  return out;
}

void to_json(Json& out, const CommitRequest& value) {
  out = Json{{"base_version", value.base_version},
             {"version", value.version},
             {"manifest", value.manifest},
             {"chunks", value.chunks}};
  if (value.plain_size_hint) out["plain_size_hint"] = *value.plain_size_hint;
}

Result<CommitResponse> CommitResponse::from_json(const Json& value, const std::string& path) {
  CommitResponse out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.number("version", out.version);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const CommitResponse& value) { out = Json{{"version", value.version}}; }

Result<VersionSummary> VersionSummary::from_json(const Json& value, const std::string& path) {
  VersionSummary out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.number("version", out.version);
  in.number("size", out.size);
  in.number("created_at", out.created_at);
  in.number("chunks", out.chunks);
  in.optional_text("device", out.device, TextRule::any(kMaxDeviceChars));
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const VersionSummary& value) {
  out = Json{{"version", value.version},
             {"size", value.size},
             {"created_at", value.created_at},
             {"chunks", value.chunks},
             {"device", value.device ? Json(*value.device) : Json(nullptr)}};
}

Result<VersionList> VersionList::from_json(const Json& value, const std::string& path) {
  VersionList out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("versions", out.versions, SIZE_MAX, VersionSummary::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const VersionList& value) { out = Json{{"versions", value.versions}}; }

Result<VersionDetail> VersionDetail::from_json(const Json& value, const std::string& path) {
  VersionDetail out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.number("version", out.version);
  in.text("manifest", out.manifest, manifest_rule());
  in.text_array("chunks", out.chunks, blob_id_rule(), SIZE_MAX);
  in.number("size", out.size);
  in.number("created_at", out.created_at);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const VersionDetail& value) {
  out = Json{{"version", value.version}, {"manifest", value.manifest}, {"chunks", value.chunks},
             {"size", value.size},       {"created_at", value.created_at}};
}

Result<Usage> Usage::from_json(const Json& value, const std::string& path) {
  Usage out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.number("used", out.used);
  in.optional_number("quota", out.quota);
  in.number("current", out.current);
  in.number("versions", out.versions);
  in.number("trash", out.trash);
  in.number("other", out.other);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const Usage& value) {
  out = Json{{"used", value.used},         {"quota", value.quota ? Json(*value.quota) : Json(nullptr)},
             {"current", value.current},   {"versions", value.versions},
             {"trash", value.trash},       {"other", value.other}};
}

}  // namespace coffer::protocol
