#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
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

struct NewFile;

// Where local edits the server moved past are kept (docs/client.md, "Conflicts"): this
// device's name for the copies' names, and the root folder for an edit whose folder is gone.
struct ConflictHome {
  std::string device;
  std::string root_id;
  std::optional<crypto::FernetKey> root_key;
};

struct UploadOptions {
  unsigned parallel = 4;
  std::uint64_t batch_bytes = 8ull << 20;
  std::size_t batch_ops = 1000;
  ConflictHome home;
};

// Called after the server committed a version of a node (node id, version).
using CommitListener = std::function<void(const std::string&, std::uint64_t)>;

// What the sender changed on the server that the mount must show and the change feed will not
// tell it (the feed skips this session's own changes): a local edit kept as a new file, or an
// entry a remove left in place because another device had edited the file since (`added`); and
// the server's record of the node whose edit lost, to show at its name (`current`).
struct ConflictNotice {
  struct Entry {
    std::string folder_id;
    std::string name;
    std::string name_tag;
    SecureBytes node_key;
    remote::NodeInfo node;
  };
  std::uint64_t op_seq = 0;
  std::string node_id;  // the node the op was about
  std::optional<Entry> added;
  std::optional<remote::NodeInfo> current;
};
using ConflictListener = std::function<void(const ConflictNotice&)>;

// Turns journal ops into server requests: seals manifests and attribute records with the
// version and revision numbers that follow the server's current ones, uploads blob files in
// parallel, sends runs of ops (any kind, in journal order) as one batch request with the new
// sealed records of the folders whose entries they change (planned by sync/entry_planner.hpp,
// which also makes replays after a crash harmless: an op the server already applied counts as
// done; sync/replay_check.hpp does the same for replayed commits and attribute changes). Used
// by the upload queue's one sequencer thread only.
//
// Conflicts (docs/client.md, "Conflicts"): a commit names the version its edit started from.
// It goes to the server only when that is the server's current version, or one of a run of
// versions this sender committed itself up to the current one (an edit saved twice before the
// first save was sent); otherwise, or when the server answers that the base is stale, the edit
// is kept as a new file beside the original (op_sender_conflicts.cpp), and so is an edit of a
// file deleted meanwhile. A remove names the version the device last saw, and the server
// removes nothing newer. Attribute changes meeting a stale record are merged onto the server's.
class OpSender {
 public:
  OpSender(remote::RemoteApi& remote, Journal& journal, cache::VersionGuard& guard, WorkerPool& uploads,
           UploadOptions options)
      : remote_(remote), journal_(journal), guard_(guard), uploads_(uploads), options_(options), models_(remote, guard) {}

  void set_listener(CommitListener listener) { listener_ = std::move(listener); }
  void set_conflict_listener(ConflictListener listener) { conflict_listener_ = std::move(listener); }
  // Ops up to this seq were in the journal at start: an earlier run may have sent them, so
  // they are checked against the server before they are sent again (sync/replay_check.hpp).
  void set_replay_through(std::uint64_t seq) { replay_through_ = seq; }
  // Drops what the sender caches of the server (states, folder models): after an exception it
  // may be half updated. The versions it committed itself stay known.
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
    bool trashed = false;  // a file without entries: deleted
    // When `version` is this sender's own commit: the base its run of commits started from.
    std::optional<std::uint64_t> own_from;
  };
  // The versions this sender committed in a row: an edit based on any of them, up to `last`,
  // continues this device's own work.
  struct OwnRun {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
  };
  // Per op of a window: what remains to settle after the request (op_sender_conflicts.cpp).
  enum class Pending { none, stale_record };

  // Uploads the window's blob files in parallel. A transient failure comes back as the error
  // (the window is tried again later); blobs the server refuses for good (quota, size) come
  // back by id, and the ops that need them fail with that error.
  Result<std::map<std::string, Error>> upload_blob_files(std::span<const JournalOp> window);
  Result<bool> send_round(std::span<const JournalOp> window, const std::vector<std::size_t>& successor,
                          std::vector<Status>& results, std::vector<bool>& settled, std::vector<Pending>& pending,
                          std::unordered_map<std::string, ServerState>& working);
  Result<bool> created_before(const OpBody& body, const Error& refusal);
  static bool changes_entries(const OpBody& body);
  remote::BatchOp entry_request(const OpBody& body, std::unordered_map<std::string, ServerState>& working) const;
  std::optional<std::uint64_t> expected_version(const RemoveOp& op,
                                                const std::unordered_map<std::string, ServerState>& working) const;
  Result<ServerState> state_of(const std::string& node_id);
  ServerState state_from(const remote::NodeInfo& node) const;
  static bool continues(std::uint64_t base, const ServerState& state);
  void note_own_runs(std::span<const JournalOp> window, const std::vector<bool>& settled);
  remote::CommitVersion seal_commit(const CommitOp& op, const ServerState& state) const;
  remote::SetAttributes seal_attributes(const std::string& node_id, const SecureBytes& key,
                                        crypto::Attributes attributes, std::uint64_t size,
                                        const ServerState& state) const;
  Status finish_op(const JournalOp& op, const Status& result, Pending pending);

  // op_sender_conflicts.cpp
  Status keep_local_edit(const JournalOp& op, const CommitOp& commit, bool deleted);
  Result<std::optional<ConflictNotice::Entry>> save_as_new_file(const JournalOp& op, const CommitOp& commit,
                                                                bool deleted);
  Result<std::optional<ConflictNotice::Entry>> place_new_file(const CommitOp& commit, const NewFile& file,
                                                              const std::string& folder_id,
                                                              const crypto::FernetKey& folder_key,
                                                              ConflictRecord& record, bool own_name_first);
  Status merge_attributes(const std::string& node_id, const SecureBytes& key, const crypto::Attributes& attributes,
                          std::uint64_t size, std::uint64_t base_version);
  Status keep_entry(const JournalOp& op, const RemoveOp& remove);
  void tell(const ConflictNotice& notice) const;

  remote::RemoteApi& remote_;
  Journal& journal_;
  cache::VersionGuard& guard_;
  WorkerPool& uploads_;
  UploadOptions options_;
  CommitListener listener_;
  ConflictListener conflict_listener_;
  std::uint64_t replay_through_ = 0;
  std::unordered_map<std::string, ServerState> states_;
  std::unordered_map<std::string, OwnRun> own_runs_;  // by node id
  FolderModels models_;
};

// Transient failures leave ops in the queue; everything else fails the op for good.
bool is_transient(Errc code);

}  // namespace coffer::sync
