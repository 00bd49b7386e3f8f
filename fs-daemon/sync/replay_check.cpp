#include "sync/replay_check.hpp"

#include <map>
#include <optional>

#include "crypto/manifest.hpp"
#include "sync/op_sender.hpp"
#include "sync/record_meta.hpp"

namespace coffer::sync {
namespace {

bool is_content_op(const OpBody& body) {
  return std::holds_alternative<CommitOp>(body) || std::holds_alternative<SetAttributesOp>(body);
}

// The node as the server has it now; its manifest is fetched only when a commit asks.
class ServerNode {
 public:
  ServerNode(remote::RemoteApi& remote, remote::NodeInfo info) : remote_(remote), info_(std::move(info)) {}

  Result<bool> holds(const OpBody& body) {
    const auto* commit = std::get_if<CommitOp>(&body);
    const auto& attrs = commit ? commit->attributes : std::get<SetAttributesOp>(body).attributes;
    const auto& raw_key = commit ? commit->node_key : std::get<SetAttributesOp>(body).node_key;
    const std::uint64_t size = commit ? commit->size : std::get<SetAttributesOp>(body).size;
    auto key = op_key(raw_key);
    if (!key) return false;
    if (!holds_attributes(*key, attrs, size)) return false;
    if (commit == nullptr) return true;
    return holds_content(*key, *commit);
  }

 private:
  bool holds_attributes(const crypto::FernetKey& key, crypto::Attributes expected, std::uint64_t size) const {
    auto record = crypto::open_attribute_record(key, info_.node_id, info_.attributes);
    if (!record) return false;
    set_content_meta(expected, {size, info_.version});
    return record->attributes == expected;
  }

  Result<bool> holds_content(const crypto::FernetKey& key, const CommitOp& commit) {
    if (info_.version == 0) return false;
    if (!manifest_) {
      auto version = remote_.get_version(info_.node_id, std::nullopt);
      if (!version) return is_transient(version.error().code) ? Result<bool>(std::move(version).error()) : false;
      auto opened = crypto::open_manifest(key, info_.node_id, version->manifest);
      if (!opened) return false;
      manifest_ = std::move(opened).value();
    }
    crypto::Manifest expected{commit.node_id, info_.version, commit.size, commit.chunk_size, commit.chunks,
                              commit.attributes};
    return *manifest_ == expected;
  }

  remote::RemoteApi& remote_;
  remote::NodeInfo info_;
  std::optional<crypto::Manifest> manifest_;
};

}  // namespace

Result<std::vector<bool>> settled_replays(remote::RemoteApi& remote, std::span<const JournalOp> window,
                                          std::uint64_t replay_through) {
  std::vector<bool> settled(window.size(), false);
  std::map<std::string, std::vector<std::size_t>> by_node;  // replayed content ops, in order
  for (std::size_t i = 0; i < window.size(); ++i) {
    if (window[i].seq <= replay_through && is_content_op(window[i].body)) by_node[op_node_id(window[i].body)].push_back(i);
  }
  for (const auto& [node_id, indices] : by_node) {
    auto info = remote.get_node(node_id);
    if (!info && is_transient(info.error().code)) return std::move(info).error();
    if (!info) continue;
    ServerNode node(remote, std::move(info).value());
    for (std::size_t k = indices.size(); k-- > 0;) {
      auto holds = node.holds(window[indices[k]].body);
      if (!holds) return std::move(holds).error();
      if (!*holds) continue;
      for (std::size_t j = 0; j <= k; ++j) settled[indices[j]] = true;
      break;
    }
  }
  return settled;
}

}  // namespace coffer::sync
