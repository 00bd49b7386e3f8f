// A test helper for tests/interop: Coffer's sealed records on the command line, so that Python
// can check them against its own encoder written from docs/crypto.md. One JSON request on
// stdin, one JSON answer on stdout; binary values are lowercase hex, keys the standard
// 44-character Fernet text.
//   coffer_record_tool seal-entry     {"parent_key", "parent", "node", "tag", "node_key"} -> {"sealed"}
//   coffer_record_tool open-entry     {"parent_key", "parent", "node", "tag", "sealed"}   -> {"node_key"}
//   coffer_record_tool seal-folder    {"key", "node", "revision", "entry_count", "commitment"} -> {"sealed"}
//   coffer_record_tool open-folder    {"key", "node", "sealed"} -> {"revision", "entry_count", "commitment"}
//   coffer_record_tool seal-manifest  {"key", "manifest": MANIFEST} -> {"sealed"}
//   coffer_record_tool open-manifest  {"key", "node", "sealed"} -> {"manifest": MANIFEST}
//   coffer_record_tool commitment     {"leaves": [[TAG, MAC]...]} -> {"commitment"}
// MANIFEST = {"node", "version", "size", "chunk_size", "chunks": [null | [ID, MAC]...],
//             "attributes": {"mode", "uid", "gid", "rdev", "atime": [S, NS], "mtime", "ctime",
//                            "xattrs": {NAME: HEX}, "target"}}
// A record that does not open exits 1 with the reason on stderr.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <stdexcept>
#include <string>

#include "crypto/encoding.hpp"
#include "crypto/entry_seal.hpp"
#include "crypto/folder_record.hpp"
#include "crypto/manifest.hpp"

namespace {

using coffer::Bytes;
using coffer::ByteView;
using nlohmann::json;
using namespace coffer::crypto;

Bytes unhex(const json& value) {
  auto bytes = hex_decode(value.get<std::string>());
  if (!bytes) throw std::invalid_argument("not lowercase hex: " + value.get<std::string>());
  return std::move(bytes).value();
}

Sha256Digest digest(const json& value) {
  const Bytes bytes = unhex(value);
  Sha256Digest out;
  if (bytes.size() != out.size()) throw std::invalid_argument("a digest is 32 bytes");
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

FernetKey key(const json& value) { return FernetKey::from_base64(value.get<std::string>()).value(); }

json time_json(const Timestamp& time) { return json::array({time.sec, time.nsec}); }
Timestamp time_from(const json& value) { return {value.at(0).get<std::int64_t>(), value.at(1).get<std::uint32_t>()}; }

json attributes_json(const Attributes& a) {
  json xattrs = json::object();
  for (const auto& [name, value] : a.xattrs) xattrs[name] = hex_encode(value);
  return {{"mode", a.mode}, {"uid", a.uid}, {"gid", a.gid}, {"rdev", a.rdev}, {"atime", time_json(a.atime)},
          {"mtime", time_json(a.mtime)}, {"ctime", time_json(a.ctime)}, {"xattrs", xattrs},
          {"target", a.symlink_target}};
}

Attributes attributes_from(const json& j) {
  Attributes a;
  a.mode = j.at("mode").get<std::uint32_t>();
  a.uid = j.at("uid").get<std::uint32_t>();
  a.gid = j.at("gid").get<std::uint32_t>();
  a.rdev = j.at("rdev").get<std::uint64_t>();
  a.atime = time_from(j.at("atime"));
  a.mtime = time_from(j.at("mtime"));
  a.ctime = time_from(j.at("ctime"));
  for (const auto& [name, value] : j.at("xattrs").items()) a.xattrs[name] = unhex(value);
  a.symlink_target = j.at("target").get<std::string>();
  return a;
}

json manifest_json(const Manifest& m) {
  json chunks = json::array();
  for (const auto& chunk : m.chunks) {
    if (chunk) chunks.push_back({chunk->id.hex(), hex_encode(chunk->mac), chunk->data_blocks});
    else chunks.push_back(nullptr);
  }
  return {{"node", m.node_id}, {"version", m.version}, {"size", m.size}, {"chunk_size", m.chunk_size},
          {"chunks", chunks}, {"attributes", attributes_json(m.attributes)}};
}

Manifest manifest_from(const json& j) {
  Manifest m;
  m.node_id = j.at("node").get<std::string>();
  m.version = j.at("version").get<std::uint64_t>();
  m.size = j.at("size").get<std::uint64_t>();
  m.chunk_size = j.at("chunk_size").get<std::uint32_t>();
  for (const auto& chunk : j.at("chunks")) {
    if (chunk.is_null()) m.chunks.emplace_back();
    else m.chunks.push_back(ChunkRef{ChunkId{digest(chunk.at(0))}, digest(chunk.at(1)), chunk.at(2).get<std::uint32_t>()});
  }
  m.attributes = attributes_from(j.at("attributes"));
  return m;
}

EntryBinding binding_from(const json& j) {
  return {j.at("parent").get<std::string>(), j.at("node").get<std::string>(), j.at("tag").get<std::string>()};
}

template <class T>
T opened(coffer::Result<T> result) {
  if (!result) throw std::runtime_error(result.error().message);
  return std::move(result).value();
}

json seal_entry(const json& in) {
  return {{"sealed", hex_encode(seal_entry_key(key(in.at("parent_key")), binding_from(in), key(in.at("node_key"))))}};
}

json open_entry(const json& in) {
  const FernetKey node_key = opened(open_entry_key(key(in.at("parent_key")), binding_from(in), unhex(in.at("sealed"))));
  return {{"node_key", node_key.to_base64()}};
}

json seal_folder(const json& in) {
  const FolderRecord record{in.at("node").get<std::string>(), in.at("revision").get<std::uint64_t>(),
                            in.at("entry_count").get<std::uint64_t>(), digest(in.at("commitment"))};
  return {{"sealed", hex_encode(seal_folder_record(key(in.at("key")), record))}};
}

json open_folder(const json& in) {
  const FolderRecord record =
      opened(open_folder_record(key(in.at("key")), in.at("node").get<std::string>(), unhex(in.at("sealed"))));
  return {{"revision", record.revision}, {"entry_count", record.entry_count},
          {"commitment", hex_encode(record.commitment)}};
}

json seal_manifest_command(const json& in) {
  return {{"sealed", hex_encode(seal_manifest(key(in.at("key")), manifest_from(in.at("manifest"))))}};
}

json open_manifest_command(const json& in) {
  return {{"manifest", manifest_json(opened(open_manifest(key(in.at("key")), in.at("node").get<std::string>(),
                                                          unhex(in.at("sealed")))))}};
}

json commitment(const json& in) {
  FolderCommitment set;
  for (const auto& leaf : in.at("leaves")) {
    set.set(opened(FolderCommitment::tag_from_hex(leaf.at(0).get<std::string>())), digest(leaf.at(1)));
  }
  return {{"commitment", hex_encode(set.digest())}};
}

json run(const std::string& command, const json& in) {
  if (command == "seal-entry") return seal_entry(in);
  if (command == "open-entry") return open_entry(in);
  if (command == "seal-folder") return seal_folder(in);
  if (command == "open-folder") return open_folder(in);
  if (command == "seal-manifest") return seal_manifest_command(in);
  if (command == "open-manifest") return open_manifest_command(in);
  if (command == "commitment") return commitment(in);
  throw std::invalid_argument("unknown command " + command);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: coffer_record_tool COMMAND < request.json\n";
    return 2;
  }
  try {
    std::cout << run(argv[1], json::parse(std::cin)).dump() << '\n';
    return std::cout.flush() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "coffer_record_tool: " << e.what() << '\n';
    return 1;
  }
}
