#include "protocol/batch.hpp"

#include "protocol/limits.hpp"

namespace coffer::protocol {
namespace {

Result<BatchBlob> parse_blob(Json& value, const std::string& path) {
  BatchBlob out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.text("id", out.id, blob_id_rule());
  in.check_text("data", TextRule::base64url(0, SIZE_MAX));
  COFFER_TRY_STATUS(in.finish());
  out.data = std::move(value.at("data").get_ref<std::string&>());
  return out;
}

Status read_blobs(ObjectReader& in, Json& op, BatchCommit& out) {
  const Json* blobs = in.array("blobs", kMaxChunksPerVersion);
  if (blobs == nullptr) return in.finish();
  Json& items = op.at("blobs");
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto blob = parse_blob(items[i], in.path_of("blobs") + "[" + std::to_string(i) + "]");
    if (!blob) return blob.error();
    out.blobs.push_back(std::move(*blob));
  }
  return {};
}

template <class Op>
Result<BatchOp> finish_op(const ObjectReader& in, Op op, Status check = {}) {
  COFFER_TRY_STATUS(in.finish());
  COFFER_TRY_STATUS(check);
  return BatchOp(std::move(op));
}

}  // namespace

Result<BatchOp> parse_batch_op(Json& value, const std::string& path) {
  ObjectReader in(value, path, UnknownFields::refuse);
  std::string name;
  in.choice("op", name, {"create", "set_attributes", "commit", "remove", "move", "link"});
  if (name == "create") {
    CreateNodeRequest op;
    CreateNodeRequest::read(in, op);
    return finish_op(in, std::move(op));
  }
  if (name == "set_attributes") {
    BatchSetAttributes op;
    in.text("node_id", op.node_id, node_id_rule());
    SetAttributesRequest::read(in, op.request);
    Status check = in.finish() ? op.request.check() : Status{};
    return finish_op(in, std::move(op), std::move(check));
  }
  if (name == "commit") {
    BatchCommit op;
    in.text("node_id", op.node_id, node_id_rule());
    CommitRequest::read(in, op.request);
    COFFER_TRY_STATUS(read_blobs(in, value, op));
    Status check = in.finish() ? op.request.check() : Status{};
    return finish_op(in, std::move(op), std::move(check));
  }
  if (name == "move") {
    BatchMove op;
    in.text("from_parent_id", op.from_parent_id, node_id_rule());
    in.text("from_name_tag", op.from_name_tag, name_tag_rule());
    MoveRequest::read(in, op.request);
    Status check = in.finish() ? op.request.check() : Status{};
    return finish_op(in, std::move(op), std::move(check));
  }
  if (name == "link") {
    BatchLink op;
    in.text("node_id", op.node_id, node_id_rule());
    LinkRequest::read(in, op.request);
    return finish_op(in, std::move(op));
  }
  BatchRemove op;
  in.text("parent_id", op.parent_id, node_id_rule());
  in.text("name_tag", op.name_tag, name_tag_rule());
  in.optional_number("expected_version", op.expected_version);
  return finish_op(in, std::move(op));
}

const char* batch_op_name(const BatchOp& op) {
  static constexpr const char* kNames[] = {"create", "set_attributes", "commit", "remove", "move", "link"};
  return kNames[op.index()];
}

void to_json(Json& out, const BatchOp& value) {
  if (const auto* create = std::get_if<CreateNodeRequest>(&value)) {
    out = *create;
  } else if (const auto* set = std::get_if<BatchSetAttributes>(&value)) {
    out = set->request;
    out["node_id"] = set->node_id;
  } else if (const auto* commit = std::get_if<BatchCommit>(&value)) {
    out = commit->request;
    out["node_id"] = commit->node_id;
    out["blobs"] = Json::array();
    for (const auto& blob : commit->blobs) out["blobs"].push_back(Json{{"id", blob.id}, {"data", blob.data}});
  } else if (const auto* move = std::get_if<BatchMove>(&value)) {
    out = move->request;
    out["from_parent_id"] = move->from_parent_id;
    out["from_name_tag"] = move->from_name_tag;
  } else if (const auto* link = std::get_if<BatchLink>(&value)) {
    out = link->request;
    out["node_id"] = link->node_id;
  } else {
    const auto& remove = std::get<BatchRemove>(value);
    out = Json{{"parent_id", remove.parent_id}, {"name_tag", remove.name_tag}};
    if (remove.expected_version) out["expected_version"] = *remove.expected_version;
  }
  out["op"] = batch_op_name(value);
}

Result<ParsedBatch> ParsedBatch::parse(Json value) {
  ParsedBatch out;
  ObjectReader in(value, "", UnknownFields::refuse);
  const Json* ops = in.array("ops", kMaxBatchOps);
  if (value.is_object() && value.contains("folders")) read_folder_updates(in, out.folders, kMaxFolderUpdates);
  COFFER_TRY_STATUS(in.finish());
  COFFER_TRY_STATUS(check_distinct_folders(out.folders));
  out.ops.reserve(ops->size());
  Json& items = value.at("ops");
  for (std::size_t i = 0; i < items.size(); ++i) {
    out.ops.push_back(parse_batch_op(items[i], "ops[" + std::to_string(i) + "]"));
  }
  return out;
}

void to_json(Json& out, const BatchRequest& value) {
  out = Json{{"ops", Json::array()}, {"folders", value.folders}};
  for (const auto& op : value.ops) out["ops"].push_back(Json(op));
}

Result<BatchResponse> BatchResponse::from_json(const Json& value, const std::string& path) {
  BatchResponse out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("results", out.results, SIZE_MAX, [](const Json& item, const std::string& item_path) -> Result<BatchResult> {
    BatchResult result;
    ObjectReader fields(item, item_path, UnknownFields::ignore);
    std::uint64_t status = 0;
    fields.number("status", status, 599);
    COFFER_TRY_STATUS(fields.finish());
    result.status = static_cast<int>(status);
    if (item.contains("body")) result.body = item.at("body");
    return result;
  });
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const BatchResponse& value) {
  out = Json{{"results", Json::array()}};
  for (const auto& result : value.results) out["results"].push_back(Json{{"status", result.status}, {"body", result.body}});
}

}  // namespace coffer::protocol
