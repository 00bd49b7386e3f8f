#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/version_guard.hpp"
#include "remote/remote_api.hpp"
#include "sync/folder_models.hpp"
#include "sync/journal.hpp"
#include "sync/worker_pool.hpp"

namespace coffer::sync {

struct UploadOptions {
  unsigned parallel = 4;
  std::uint64_t batch_bytes = 8ull << 20;
  std::size_t batch_ops = 1000;
};

// Called after the server committed a version of a node (node id, version).
using CommitListener = std::function<void(const std::string&, std::uint64_t)>;

// Turns journal ops into server requests: seals manifests and attribute records with the
// version and revision numbers that follow the server's current ones, uploads blob files in
// parallel, sends runs of ops (any kind, in journal order) as one batch request with the new
// sealed records of the folders whose entries they change (planned by sync/entry_planner.hpp,
// which also makes replays after a crash harmless: an op the server already applied counts as
// done; sync/replay_check.hpp does the same for replayed commits and attribute changes). Used
// by the upload queue's one sequencer thread only.
class OpSender {
 public:
  OpSender(remote::RemoteApi& remote, Journal& journal, cache::VersionGuard& guard, WorkerPool& uploads,
           UploadOptions options)
      : remote_(remote), journal_(journal), guard_(guard), uploads_(uploads), options_(options), models_(remote, guard) {}

  void set_listener(CommitListener listener) { listener_ = std::move(listener); }
  // Ops up to this seq were in the journal at start: an earlier run may have sent them, so
  // they are checked against the server before they are sent again (sync/replay_check.hpp).
  void set_replay_through(std::uint64_t seq) { replay_through_ = seq; }
  // Drops what the sender caches of the server (states, folder models): after an exception it
  // may be half updated.
  void forget_state();

  // How many ops from the front of `pending` go in the next request.
  std::size_t window_size(std::span<const JournalOp> pending) const;
  // One Status per op (done, or failed for good), or an error when the whole window should be
  // tried again later (server unreachable, overloaded, session expired). Errc::conflict: the
  // folders of a window of several ops kept changing; sent one op at a time, the op that still
  // meets it fails for good.
  Result<std::vector<Status>> send(std::span<const JournalOp> window);

 private:
  struct ServerState {
    std::uint64_t version = 0;
    std::uint64_t revision = 0;
  };

  // Uploads the window's blob files in parallel. A transient failure comes back as the error
  // (the window is tried again later); blobs the server refuses for good (quota, size) come
  // back by id, and the ops that need them fail with that error.
  Result<std::map<std::string, Error>> upload_blob_files(std::span<const JournalOp> window);
  Result<bool> send_round(std::span<const JournalOp> window, const std::vector<std::size_t>& successor,
                          std::vector<Status>& results, std::vector<bool>& settled,
                          std::unordered_map<std::string, ServerState>& working);
  Result<bool> created_before(const OpBody& body, const Error& refusal);
  static bool changes_entries(const OpBody& body);
  static remote::BatchOp entry_request(const OpBody& body, std::unordered_map<std::string, ServerState>& working);
  Result<ServerState> state_of(const std::string& node_id);
  remote::CommitVersion seal_commit(const CommitOp& op, const ServerState& state) const;
  remote::SetAttributes seal_attributes(const std::string& node_id, const SecureBytes& key,
                                        crypto::Attributes attributes, std::uint64_t size,
                                        const ServerState& state) const;
  Status finish_op(const OpBody& body, const Status& result);
  Status repair_conflict(const OpBody& body);

  remote::RemoteApi& remote_;
  Journal& journal_;
  cache::VersionGuard& guard_;
  WorkerPool& uploads_;
  UploadOptions options_;
  CommitListener listener_;
  std::uint64_t replay_through_ = 0;
  std::unordered_map<std::string, ServerState> states_;
  FolderModels models_;
};

// Transient failures leave ops in the queue; everything else fails the op for good.
bool is_transient(Errc code);

}  // namespace coffer::sync
