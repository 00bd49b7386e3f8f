#include "payloads.hpp"

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace coffer::bench {
namespace {

std::string random_b64(std::size_t bytes) { return crypto::base64url_encode(crypto::random_bytes(bytes)); }

nlohmann::json file_ops(const std::string& parent, std::uint64_t index, std::size_t size) {
  const std::string node_id = crypto::hex_encode(crypto::random_bytes(16));
  const std::string data = blob_bytes(index, size);
  const std::string id = sha256_hex(data);
  nlohmann::json create = {{"op", "create"},
                           {"node_id", node_id},
                           {"type", "file"},
                           {"parent_id", parent},
                           {"name", random_b64(72)},
                           {"name_tag", crypto::hex_encode(crypto::random_bytes(32))},
                           {"wrapped_key", random_b64(105)},
                           {"attributes", random_b64(160)},
                           {"attributes_revision", 1}};
  nlohmann::json commit = {{"op", "commit"},
                           {"node_id", node_id},
                           {"base_version", 0},
                           {"version", 1},
                           {"manifest", random_b64(200)},
                           {"chunks", {id}},
                           {"blobs", {{{"id", id}, {"data", crypto::base64url_encode(as_bytes(data))}}}}};
  return nlohmann::json::array({create, commit});
}

}  // namespace

std::string blob_bytes(std::uint64_t index, std::size_t size) {
  std::string out(size, '\0');
  std::uint64_t state = 0x9E3779B97F4A7C15ull * (index + 1);
  for (std::size_t i = 0; i < size; i += 8) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    for (std::size_t k = 0; k < 8 && i + k < size; ++k) out[i + k] = static_cast<char>(state >> (8 * k));
  }
  return out;
}

std::string sha256_hex(const std::string& data) { return crypto::hex_encode(crypto::sha256(as_bytes(data))); }

std::vector<std::string> batch_bodies(const std::vector<std::string>& parents, std::size_t files, std::size_t size,
                                      std::size_t per_request, std::uint64_t first_index) {
  std::vector<std::string> bodies;
  for (std::size_t first = 0; first < files; first += per_request) {
    const std::string& parent = parents.at(bodies.size());
    nlohmann::json ops = nlohmann::json::array();
    for (std::size_t i = first; i < std::min(files, first + per_request); ++i) {
      for (auto& op : file_ops(parent, first_index + i, size)) ops.push_back(std::move(op));
    }
    // The folder's next record: the server keeps records in order but cannot open them.
    nlohmann::json folder = {{"node_id", parent}, {"base_revision", 1}, {"revision", 2}, {"record", random_b64(170)}};
    bodies.push_back(nlohmann::json{{"ops", std::move(ops)}, {"folders", {folder}}}.dump());
  }
  return bodies;
}

}  // namespace coffer::bench
