#include "sync/journal_op.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "crypto/encoding.hpp"
#include "sync/attributes_json.hpp"

namespace coffer::sync {
namespace {

using nlohmann::json;

std::string b64(ByteView data) { return crypto::base64url_encode(data); }

Bytes unb64(const json& value) {
  auto bytes = crypto::base64url_decode(value.get<std::string>());
  if (!bytes) throw std::invalid_argument(bytes.error().message);
  return std::move(bytes).value();
}

SecureBytes unb64_secret(const json& value) {
  Bytes bytes = unb64(value);
  SecureBytes secret(bytes.begin(), bytes.end());
  secure_zero(bytes.data(), bytes.size());
  return secret;
}

json sealed_name_json(const remote::SealedName& n) {
  return {{"parent", n.parent_id}, {"name", n.name}, {"tag", n.name_tag}, {"key", b64(n.wrapped_key)}};
}

remote::SealedName sealed_name_from(const json& j) {
  return {j.at("parent").get<std::string>(), j.at("name").get<std::string>(), j.at("tag").get<std::string>(),
          unb64(j.at("key"))};
}

// A chunk is [id, MAC, data blocks], id and MAC in hex; a hole null.
json chunks_json(const std::vector<std::optional<crypto::ChunkRef>>& chunks) {
  json out = json::array();
  for (const auto& chunk : chunks) {
    if (chunk) out.push_back({chunk->id.hex(), crypto::hex_encode(chunk->mac), chunk->data_blocks});
    else out.push_back(nullptr);
  }
  return out;
}

crypto::Sha256Digest digest_from(const json& j) {
  auto bytes = crypto::hex_decode(j.get<std::string>());
  crypto::Sha256Digest digest;
  if (!bytes || bytes->size() != digest.size()) {
    throw std::invalid_argument("a chunk id or MAC is 64 hex characters");
  }
  std::copy(bytes->begin(), bytes->end(), digest.begin());
  return digest;
}

crypto::ChunkRef chunk_from(const json& j) {
  if (!j.is_array() || j.size() != 3) throw std::invalid_argument("a chunk is [id, mac, data blocks]");
  return {crypto::ChunkId{digest_from(j[0])}, digest_from(j[1]), j[2].get<std::uint32_t>()};
}

std::vector<std::optional<crypto::ChunkRef>> chunks_from(const json& j) {
  std::vector<std::optional<crypto::ChunkRef>> chunks;
  chunks.reserve(j.size());
  for (const auto& chunk : j) {
    if (chunk.is_null()) chunks.emplace_back();
    else chunks.emplace_back(chunk_from(chunk));
  }
  return chunks;
}

struct Encoder {
  json operator()(const CreateOp& op) const {
    return {{"op", "create"}, {"node", op.node_id}, {"type", remote::node_type_name(op.type)},
            {"entry", sealed_name_json(op.entry)}, {"key", b64(op.node_key)}, {"attrs", attributes_json(op.attributes)},
            {"parent_key", b64(op.parent_key)}};
  }
  json operator()(const SetAttributesOp& op) const {
    return {{"op", "attrs"}, {"node", op.node_id}, {"key", b64(op.node_key)},
            {"attrs", attributes_json(op.attributes)}, {"size", op.size}, {"base", op.base_version}};
  }
  json operator()(const CommitOp& op) const {
    json blobs = json::array();
    for (const auto& blob : op.inline_blobs) blobs.push_back({{"id", blob.id}, {"data", b64(blob.data)}});
    return {{"op", "commit"}, {"node", op.node_id}, {"key", b64(op.node_key)}, {"size", op.size},
            {"chunk_size", op.chunk_size}, {"chunks", chunks_json(op.chunks)},
            {"attrs", attributes_json(op.attributes)},
            {"inline", blobs}, {"base", op.base_version},
            {"place", {{"parent", op.place.parent_id}, {"parent_key", b64(op.place.parent_key)}, {"name", op.place.name}}}};
  }
  json operator()(const RemoveOp& op) const {
    return {{"op", "remove"}, {"parent", op.entry.parent_id}, {"tag", op.entry.name_tag}, {"node", op.node_id},
            {"parent_key", b64(op.parent_key)}, {"seen", op.seen_version}, {"name", op.name}, {"key", b64(op.node_key)}};
  }
  json operator()(const MoveOp& op) const {
    json j = {{"op", "move"}, {"parent", op.move.from.parent_id}, {"tag", op.move.from.name_tag},
              {"to", sealed_name_json(op.move.to)}, {"mode", static_cast<int>(op.move.mode)},
              {"from_key", b64(op.from_key)}, {"to_key", b64(op.to_key)}};
    if (op.move.exchange) j["exchange"] = sealed_name_json(*op.move.exchange);
    return j;
  }
  json operator()(const LinkOp& op) const {
    return {{"op", "link"}, {"node", op.link.node_id}, {"entry", sealed_name_json(op.link.entry)},
            {"parent_key", b64(op.parent_key)}};
  }
};

remote::NodeType type_from(const json& j) {
  auto type = remote::node_type_from_name(j.get<std::string>());
  if (!type) throw std::invalid_argument("unknown node type");
  return *type;
}

// Records written before conflicts were kept as copies name no base: they count as based on
// whatever the server holds (op_sender.cpp), as they were sent then.
std::uint64_t base_from(const json& j) { return j.contains("base") ? j.at("base").get<std::uint64_t>() : kUnknownBase; }

OpBody decode_body(const json& j) {
  const std::string kind = j.at("op").get<std::string>();
  if (kind == "create") {
    return CreateOp{j.at("node").get<std::string>(), type_from(j.at("type")),         sealed_name_from(j.at("entry")),
                    unb64_secret(j.at("key")),         attributes_from(j.at("attrs")), unb64_secret(j.at("parent_key"))};
  }
  if (kind == "attrs") {
    return SetAttributesOp{j.at("node").get<std::string>(), unb64_secret(j.at("key")), attributes_from(j.at("attrs")),
                           j.at("size").get<std::uint64_t>(), base_from(j)};
  }
  if (kind == "commit") {
    CommitOp op{j.at("node").get<std::string>(), unb64_secret(j.at("key")), j.at("size").get<std::uint64_t>(),
                j.at("chunk_size").get<std::uint32_t>(), chunks_from(j.at("chunks")),
                attributes_from(j.at("attrs")), {}, kUnknownBase, {}};
    for (const auto& blob : j.at("inline")) op.inline_blobs.push_back({blob.at("id").get<std::string>(), unb64(blob.at("data"))});
    op.base_version = base_from(j);
    if (j.contains("place")) {
      const json& place = j.at("place");
      op.place = {place.at("parent").get<std::string>(), unb64_secret(place.at("parent_key")),
                  place.at("name").get<std::string>()};
    }
    return op;
  }
  if (kind == "remove") {
    RemoveOp op;
    op.entry.parent_id = j.at("parent").get<std::string>();
    op.entry.name_tag = j.at("tag").get<std::string>();
    op.node_id = j.at("node").get<std::string>();
    op.parent_key = unb64_secret(j.at("parent_key"));
    if (j.contains("seen")) {
      op.seen_version = j.at("seen").get<std::uint64_t>();
      op.name = j.at("name").get<std::string>();
      op.node_key = unb64_secret(j.at("key"));
    } else {
      op.seen_version = kUnknownBase;
    }
    return op;
  }
  if (kind == "move") {
    MoveOp op;
    op.move.from.parent_id = j.at("parent").get<std::string>();
    op.move.from.name_tag = j.at("tag").get<std::string>();
    op.move.to = sealed_name_from(j.at("to"));
    op.move.mode = static_cast<remote::MoveMode>(j.at("mode").get<int>());
    if (j.contains("exchange")) op.move.exchange = sealed_name_from(j.at("exchange"));
    op.from_key = unb64_secret(j.at("from_key"));
    op.to_key = unb64_secret(j.at("to_key"));
    return op;
  }
  if (kind == "link") {
    return LinkOp{{j.at("node").get<std::string>(), sealed_name_from(j.at("entry"))}, unb64_secret(j.at("parent_key"))};
  }
  throw std::invalid_argument("unknown journal op '" + kind + "'");
}

}  // namespace

Result<crypto::FernetKey> op_key(const SecureBytes& raw) {
  return crypto::FernetKey::from_raw(ByteView(raw.data(), raw.size()));
}

std::string op_node_id(const OpBody& body) {
  struct Visitor {
    std::string operator()(const CreateOp& op) const { return op.node_id; }
    std::string operator()(const SetAttributesOp& op) const { return op.node_id; }
    std::string operator()(const CommitOp& op) const { return op.node_id; }
    std::string operator()(const RemoveOp& op) const { return op.entry.parent_id; }
    std::string operator()(const MoveOp& op) const { return op.move.from.parent_id; }
    std::string operator()(const LinkOp& op) const { return op.link.node_id; }
  };
  return std::visit(Visitor{}, body);
}

const char* op_name(const OpBody& body) {
  static constexpr const char* kNames[] = {"create", "set attributes", "commit", "remove", "move", "link"};
  return kNames[body.index()];
}

std::vector<std::string> op_blob_files(const OpBody& body) {
  const auto* commit = std::get_if<CommitOp>(&body);
  if (commit == nullptr) return {};
  std::set<std::string> inline_ids;
  for (const auto& blob : commit->inline_blobs) inline_ids.insert(blob.id);
  std::set<std::string> ids;
  for (const auto& chunk : commit->chunks) {
    if (chunk && !inline_ids.contains(chunk->id.hex())) ids.insert(chunk->id.hex());
  }
  return {ids.begin(), ids.end()};
}

std::string encode_op(const JournalOp& op) {
  json j = std::visit(Encoder{}, op.body);
  j["seq"] = op.seq;
  return j.dump();
}

Result<JournalOp> decode_op(std::string_view text) {
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object()) return make_error(Errc::integrity, "a journal record is not JSON");
  try {
    return JournalOp{j.at("seq").get<std::uint64_t>(), decode_body(j)};
  } catch (const std::exception& e) {
    return make_error(Errc::integrity, std::string("a journal record is malformed: ") + e.what());
  }
}

}  // namespace coffer::sync
