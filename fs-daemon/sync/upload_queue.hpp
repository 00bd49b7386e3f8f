#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <set>
#include <span>
#include <unordered_map>

#include "cache/chunk_cache.hpp"
#include "sync/op_sender.hpp"

namespace coffer::sync {

// The change that has waited longest, at the queue's front.
struct WaitingOp {
  std::uint64_t seq = 0;
  std::string op;       // create, attrs, commit, remove, move, link
  std::string node_id;
  std::chrono::system_clock::time_point queued_at;  // an op from an earlier run: when this run queued it
  bool earlier_run = false;
};

struct QueueStatus {
  std::uint64_t pending_ops = 0;
  std::uint64_t pending_bytes = 0;  // blob files and inline data still to send
  std::uint64_t failed_ops = 0;     // set aside since the mount started
  std::string last_error;           // the latest failure, "" once the queue drains
  std::uint64_t set_aside = 0;      // ops in the journal's set-aside store, from any run
  std::vector<SetAsideEntry> latest_set_aside;  // the newest few
  std::uint64_t damaged = 0;        // files in the journal's damaged/ folder
  std::optional<WaitingOp> oldest;  // none when nothing waits
  std::uint64_t conflicts = 0;      // local edits kept as new files, from any run
  std::vector<ConflictRecord> latest_conflicts;  // the newest few
};

// Replays journal ops to the server in order, on one sequencer thread, with blob uploads in
// parallel on a worker pool. An op is appended to the journal before it is queued and
// acknowledged in the journal once the server has it; a transient failure (server down,
// overloaded, session expired) keeps every op and retries with backoff. An op the server
// refuses for good, or whose sending throws, is set aside (Journal::set_aside) and the ops
// after it go on. What the thread cannot get past (an exception outside the sender, a set-aside
// op that cannot be written) stops uploads: every op stays in the journal for the next run.
// Lock order: a caller's locks -> mutex_ -> Journal's; listeners run without mutex_.
class UploadQueue {
 public:
  UploadQueue(remote::RemoteApi& remote, Journal& journal, cache::ChunkCache& cache, cache::VersionGuard& guard,
              UploadOptions options);
  ~UploadQueue();

  // Told of every version the server commits (from the sequencer thread).
  void set_listener(CommitListener listener);
  // Told of what a conflict left on the server that the mount must show (from the sequencer
  // thread).
  void set_conflict_listener(ConflictListener listener);
  // Queues what the journal held at open (removing blob files no op refers to) and starts.
  void start();
  void stop();

  // `share`: the grant whose tree the op changes ("" for the user's own tree), for drop_share().
  Result<std::uint64_t> submit(OpBody body, std::string share = {});
  // A folder's attributes after a change to its entries (its mtime and ctime moved). When the
  // queue still holds an attribute op of that folder that the sender has not taken, that op
  // takes these attributes (a record is whole, so the newer one says everything the older did)
  // and its seq is returned: no journal record, no JSON, no Fernet, where `rm -rf` of a folder
  // of 50 files used to write 50. The journal then holds the older times until the op is sent
  // or the queue stops (stop() writes them): a crash of the daemon meanwhile loses only the
  // folder's newest times, never an entry or content.
  Result<std::uint64_t> submit_folder_times(SetAttributesOp op, std::string share = {});
  // A revoked grant's ops (docs/client.md "Shared with me"): those the sender has not taken
  // leave the queue and the journal, their blob files deleted; one being sent is dropped when
  // its answer comes, whatever it is; ops of the grant set aside earlier in this run leave the
  // set-aside store. All of them are returned (to be logged); wait_for() of a dropped op
  // answers Errc::permission_denied.
  std::vector<JournalOp> drop_share(const std::string& share);
  // Told, without mutex_, of the grant of an op the server refused with not_found or
  // permission_denied: the grant may be gone (the op is set aside as any, until drop_share).
  void set_share_listener(std::function<void(const std::string&)> listener);
  // Until the server has acknowledged op `seq`: its own failure, or Errc::unavailable at the
  // deadline (the op stays queued).
  Status wait_for(std::uint64_t seq, std::chrono::steady_clock::time_point deadline);
  Status drain(std::chrono::steady_clock::time_point deadline);
  // Ends a backoff pause at once (`coffer sync`).
  void retry_now();

  QueueStatus status() const;
  std::uint64_t last_seq() const;
  std::uint64_t acked_seq() const;

 private:
  void run();
  void run_rounds();
  Result<std::vector<Status>> send_guarded(std::span<const JournalOp> window);
  Status set_aside(std::span<const JournalOp> window, const std::vector<Status>& results);
  void halt(const Error& why);
  void enqueue_locked(JournalOp op);
  JournalOp* untaken_attributes_locked(const std::string& node_id);
  void journal_coalesced_locked();
  void complete(std::span<const JournalOp> window, const std::vector<Status>& results);
  void release_blobs_locked(const JournalOp& op, bool keep);
  void forget_pending_locked(const JournalOp& op);
  std::deque<JournalOp>::iterator drop_pending_locked(std::deque<JournalOp>::iterator op);
  void discard_dropping_locked();
  std::optional<std::size_t> first_unfinished_create_locked(std::size_t count) const;
  std::uint64_t op_bytes(const OpBody& body) const;

  Journal& journal_;
  cache::ChunkCache& cache_;
  WorkerPool uploads_;
  OpSender sender_;

  std::mutex listener_mutex_;  // guards listener_ and conflict_listener_; taken before any lock they take
  CommitListener listener_;
  ConflictListener conflict_listener_;
  std::function<void(const std::string&)> share_listener_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable work_ready_;
  std::condition_variable progress_;
  std::deque<JournalOp> pending_;
  std::uint64_t taken_through_ = 0;  // the last seq of the window the sender is working on
  std::unordered_map<std::string, std::uint64_t> last_attributes_;  // node -> seq of its latest pending attribute op
  std::set<std::uint64_t> coalesced_;  // pending attribute ops newer in memory than in the journal
  std::unordered_map<std::string, unsigned> blob_refs_;  // blob file -> pending ops using it
  std::map<std::uint64_t, std::chrono::system_clock::time_point> queued_at_;  // pending op seq -> when queued
  std::uint64_t replayed_through_ = 0;  // ops up to this seq came from an earlier run's journal
  std::map<std::uint64_t, Error> failures_;               // recent ops that failed for good
  std::uint64_t acked_seq_ = 0;
  std::uint64_t pending_bytes_ = 0;
  std::uint64_t failed_ops_ = 0;
  std::string last_error_;
  std::unordered_map<std::uint64_t, std::string> share_of_;  // pending op seq -> its grant (ops of shares only)
  std::set<std::uint64_t> dropping_;  // ops of a revoked grant the sender is sending: dropped with their answer
  std::map<std::uint64_t, std::pair<std::string, JournalOp>> set_aside_shares_;  // set aside this run: seq -> (grant, op)
  std::uint64_t isolate_through_ = 0;  // up to this seq windows hold one op: one of them threw
  bool retry_requested_ = false;
  bool stopping_ = false;
  bool halted_ = false;  // uploads stopped for this run (halt())
  std::thread thread_;
};

}  // namespace coffer::sync
