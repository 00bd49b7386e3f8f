#include "sync/upload_queue.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_set>

#include "log/thread_barrier.hpp"

namespace coffer::sync {
namespace {

constexpr std::size_t kRememberedFailures = 4096;
constexpr std::size_t kMaxWindow = 2048;
constexpr auto kMaxBackoff = std::chrono::seconds(30);
// How long a round waits for the commit of a file just created (docs/client.md, "Upload queue").
constexpr auto kCreateSettle = std::chrono::milliseconds(300);

}  // namespace

UploadQueue::UploadQueue(remote::RemoteApi& remote, Journal& journal, cache::ChunkCache& cache,
                         cache::VersionGuard& guard, UploadOptions options)
    : journal_(journal),
      cache_(cache),
      uploads_(options.parallel),
      sender_(remote, journal, guard, uploads_, options),
      acked_seq_(journal.acked_seq()) {
  sender_.set_listener([this](const std::string& node_id, std::uint64_t version) {
    std::lock_guard lock(listener_mutex_);
    if (listener_) listener_(node_id, version);
  });
  sender_.set_conflict_listener([this](const ConflictNotice& notice) {
    std::lock_guard lock(listener_mutex_);
    if (conflict_listener_) conflict_listener_(notice);
  });
}

void UploadQueue::set_conflict_listener(ConflictListener listener) {
  std::lock_guard lock(listener_mutex_);
  conflict_listener_ = std::move(listener);
}

void UploadQueue::set_share_listener(std::function<void(const std::string&)> listener) {
  std::lock_guard lock(listener_mutex_);
  share_listener_ = std::move(listener);
}

void UploadQueue::set_listener(CommitListener listener) {
  std::lock_guard lock(listener_mutex_);
  listener_ = std::move(listener);
}

UploadQueue::~UploadQueue() { stop(); }

void UploadQueue::start() {
  std::vector<JournalOp> replayed = journal_.take_replayed();
  if (!replayed.empty()) sender_.set_replay_through(replayed.back().seq);
  std::set<std::string> referenced;
  {
    std::lock_guard lock(mutex_);
    if (!replayed.empty()) replayed_through_ = replayed.back().seq;
    for (auto& op : replayed) {
      for (auto& id : op_blob_files(op.body)) referenced.insert(std::move(id));
      enqueue_locked(std::move(op));
    }
  }
  for (const auto& id : journal_.list_blobs()) {
    if (!referenced.contains(id)) journal_.remove_blob(id);
  }
  if (!replayed.empty()) spdlog::info("journal: {} operations from an earlier run are queued for upload", replayed.size());
  thread_ = std::thread([this] { run(); });
}

void UploadQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  progress_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  journal_coalesced_locked();
}

// What stays queued goes to the next run through the journal, so attribute ops that took newer
// folder times in memory are written there now (after the older records: replayed, the newer
// one supersedes them).
void UploadQueue::journal_coalesced_locked() {
  for (std::uint64_t seq : coalesced_) {
    auto it = std::lower_bound(pending_.begin(), pending_.end(), seq,
                               [](const JournalOp& op, std::uint64_t s) { return op.seq < s; });
    if (it == pending_.end() || it->seq != seq) continue;
    if (auto appended = journal_.append(it->body); !appended) {
      spdlog::error("journal: the newest times of folder {} are lost: {}", op_node_id(it->body),
                    appended.error().message);
    }
  }
  coalesced_.clear();
}

std::uint64_t UploadQueue::op_bytes(const OpBody& body) const {
  std::uint64_t bytes = 0;
  if (const auto* commit = std::get_if<CommitOp>(&body)) {
    for (const auto& blob : commit->inline_blobs) bytes += blob.data.size();
    for (const auto& id : op_blob_files(body)) {
      std::error_code ec;
      auto size = std::filesystem::file_size(journal_.blob_path(id), ec);
      if (!ec) bytes += size;
    }
  }
  return bytes;
}

void UploadQueue::enqueue_locked(JournalOp op) {
  if (const auto* attributes = std::get_if<SetAttributesOp>(&op.body)) last_attributes_[attributes->node_id] = op.seq;
  for (const auto& id : op_blob_files(op.body)) ++blob_refs_[id];
  pending_bytes_ += op_bytes(op.body);
  queued_at_.emplace(op.seq, std::chrono::system_clock::now());
  pending_.push_back(std::move(op));
}

Result<std::uint64_t> UploadQueue::submit(OpBody body, std::string share) {
  std::uint64_t seq = 0;
  {
    std::lock_guard lock(mutex_);
    auto appended = journal_.append(body);
    if (!appended) return std::move(appended).error();
    seq = *appended;
    if (!share.empty()) share_of_[seq] = std::move(share);
    enqueue_locked(JournalOp{seq, std::move(body)});
  }
  work_ready_.notify_one();
  return seq;
}

// The node's latest queued attribute op, unless the sender has taken it into its window.
JournalOp* UploadQueue::untaken_attributes_locked(const std::string& node_id) {
  auto last = last_attributes_.find(node_id);
  if (last == last_attributes_.end() || last->second <= taken_through_) return nullptr;
  auto it = std::lower_bound(pending_.begin(), pending_.end(), last->second,
                             [](const JournalOp& op, std::uint64_t s) { return op.seq < s; });
  if (it == pending_.end() || it->seq != last->second) return nullptr;
  return &*it;
}

Result<std::uint64_t> UploadQueue::submit_folder_times(SetAttributesOp op, std::string share) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return submit(std::move(op), std::move(share));
    if (JournalOp* queued = untaken_attributes_locked(op.node_id)) {
      queued->body = std::move(op);
      coalesced_.insert(queued->seq);
      return queued->seq;
    }
  }
  return submit(std::move(op), std::move(share));
}

// A revoked grant's op leaves the queue unsent; its blob files are deleted.
std::deque<JournalOp>::iterator UploadQueue::drop_pending_locked(std::deque<JournalOp>::iterator op) {
  forget_pending_locked(*op);
  release_blobs_locked(*op, false);
  failures_.insert_or_assign(op->seq, Error(Errc::permission_denied, "the share was revoked"));
  return pending_.erase(op);
}

// Ops of a revoked grant that the sender had taken, back in the queue after a failed attempt.
void UploadQueue::discard_dropping_locked() {
  for (auto it = pending_.begin(); it != pending_.end();) {
    it = dropping_.contains(it->seq) ? drop_pending_locked(it) : std::next(it);
  }
  dropping_.clear();
  progress_.notify_all();
}

// What the queue keeps about a pending op, for one that leaves it unsent.
void UploadQueue::forget_pending_locked(const JournalOp& op) {
  coalesced_.erase(op.seq);
  queued_at_.erase(op.seq);
  share_of_.erase(op.seq);
  if (const auto* attributes = std::get_if<SetAttributesOp>(&op.body)) {
    if (auto it = last_attributes_.find(attributes->node_id); it != last_attributes_.end() && it->second == op.seq) {
      last_attributes_.erase(it);
    }
  }
  pending_bytes_ -= std::min(pending_bytes_, op_bytes(op.body));
}

std::vector<JournalOp> UploadQueue::drop_share(const std::string& share) {
  std::vector<JournalOp> dropped;
  std::set<std::uint64_t> seqs;
  {
    std::lock_guard lock(mutex_);
    // The sender's window is at the front and stays there (complete() pops it): only later ops
    // leave the deque now.
    for (auto it = pending_.begin(); it != pending_.end();) {
      auto tag = share_of_.find(it->seq);
      if (tag == share_of_.end() || tag->second != share) {
        ++it;
        continue;
      }
      seqs.insert(it->seq);
      dropped.push_back(*it);
      if (it->seq <= taken_through_) {
        dropping_.insert(it->seq);
        ++it;
        continue;
      }
      it = drop_pending_locked(it);
    }
    for (auto it = set_aside_shares_.begin(); it != set_aside_shares_.end();) {
      if (it->second.first != share) {
        ++it;
        continue;
      }
      journal_.set_aside_store().forget(it->second.second);
      dropped.push_back(std::move(it->second.second));
      it = set_aside_shares_.erase(it);
    }
  }
  progress_.notify_all();
  if (!seqs.empty()) {
    if (auto rewritten = journal_.drop(seqs); !rewritten) spdlog::error("journal: {}", rewritten.error().message);
  }
  return dropped;
}

Status UploadQueue::wait_for(std::uint64_t seq, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  bool done = progress_.wait_until(
      lock, deadline, [&] { return acked_seq_ >= seq || failures_.contains(seq) || stopping_ || halted_; });
  if (auto it = failures_.find(seq); it != failures_.end()) return it->second;
  if (!done || acked_seq_ < seq) {
    std::string why = last_error_.empty() ? "" : " (" + last_error_ + ")";
    return make_error(Errc::unavailable, "the server has not confirmed the upload yet" + why);
  }
  return {};
}

Status UploadQueue::drain(std::chrono::steady_clock::time_point deadline) { return wait_for(last_seq(), deadline); }

void UploadQueue::retry_now() {
  {
    std::lock_guard lock(mutex_);
    retry_requested_ = true;
  }
  work_ready_.notify_all();
}

QueueStatus UploadQueue::status() const {
  constexpr std::size_t kLatestShown = 3;
  constexpr std::size_t kConflictsShown = 10;
  QueueStatus status;
  {
    std::lock_guard lock(mutex_);
    status.pending_ops = pending_.size();
    status.pending_bytes = pending_bytes_;
    status.failed_ops = failed_ops_;
    status.last_error = last_error_;
    if (!pending_.empty()) {
      const JournalOp& front = pending_.front();
      auto queued = queued_at_.find(front.seq);
      status.oldest = WaitingOp{front.seq, op_name(front.body), op_node_id(front.body),
                                queued == queued_at_.end() ? std::chrono::system_clock::now() : queued->second,
                                front.seq <= replayed_through_};
    }
  }
  // Files, read without mutex_: the sequencer keeps writing them meanwhile.
  status.set_aside = journal_.set_aside_store().count();
  if (status.set_aside > 0) status.latest_set_aside = journal_.set_aside_store().latest(kLatestShown);
  status.damaged = journal_.damaged_count();
  status.conflicts = journal_.conflict_store().count();
  if (status.conflicts > 0) status.latest_conflicts = journal_.conflict_store().latest(kConflictsShown);
  return status;
}

std::uint64_t UploadQueue::last_seq() const {
  std::lock_guard lock(mutex_);
  return pending_.empty() ? acked_seq_ : pending_.back().seq;
}

std::uint64_t UploadQueue::acked_seq() const {
  std::lock_guard lock(mutex_);
  return acked_seq_;
}

// The sequencer thread's exception barrier. The sender has its own (send_guarded); anything
// else that throws leaves the queue's memory unsure (ops taken off it, not acknowledged), and
// acknowledging later ops would drop those from the journal, so uploads stop instead.
void UploadQueue::run() {
  auto ran = log::barrier("upload queue", [&] {
    run_rounds();
    return Status{};
  });
  if (!ran) halt(ran.error());
}

void UploadQueue::run_rounds() {
  auto backoff = std::chrono::milliseconds(250);
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    // The sequencer is the only consumer, so the front ops stay put while unlocked.
    auto candidates_end = pending_.begin() + static_cast<std::ptrdiff_t>(std::min(pending_.size(), kMaxWindow));
    std::vector<JournalOp> window(pending_.begin(), candidates_end);
    std::size_t count = window.front().seq <= isolate_through_ ? 1 : sender_.window_size(window);
    // A new file's create is queued at create(2), its content's commit at close(2); sent
    // alone, the create shows other devices an empty file. The window stops before such a
    // create for a moment; at the queue's front, the round waits for its commit instead.
    if (const auto unfinished = first_unfinished_create_locked(count)) {
      if (*unfinished == 0) {
        const auto deadline = queued_at_.at(window.front().seq) + kCreateSettle;
        work_ready_.wait_until(lock, deadline, [&] { return stopping_ || first_unfinished_create_locked(1) != 0; });
        continue;  // plan the round again: the commit came, the moment passed, or ops were dropped
      }
      count = *unfinished;
    }
    window.resize(count);
    taken_through_ = window.back().seq;
    lock.unlock();
    auto results = send_guarded(window);
    if (results) {
      backoff = std::chrono::milliseconds(250);
      if (auto kept = set_aside(window, *results); !kept) return halt(kept.error());
      complete(window, *results);
      lock.lock();
      continue;
    }
    lock.lock();
    taken_through_ = 0;  // the window goes back to the queue: the next round copies it afresh
    if (!dropping_.empty()) discard_dropping_locked();
    last_error_ = results.error().message;
    spdlog::warn("upload: {}; retrying in {} ms", last_error_, backoff.count());
    retry_requested_ = false;
    work_ready_.wait_for(lock, backoff, [&] { return stopping_ || retry_requested_; });
    backoff = std::min(backoff * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kMaxBackoff));
  }
}

// The index, among the first `count` pending ops, of the first create of a regular file that
// has no commit after it in the queue and was queued less than kCreateSettle ago.
std::optional<std::size_t> UploadQueue::first_unfinished_create_locked(std::size_t count) const {
  const std::size_t candidates = std::min(pending_.size(), kMaxWindow);
  const auto now = std::chrono::system_clock::now();
  std::unordered_set<std::string_view> committed;
  std::optional<std::size_t> first;
  for (std::size_t i = candidates; i-- > 0;) {
    const JournalOp& op = pending_[i];
    if (const auto* commit = std::get_if<CommitOp>(&op.body)) committed.insert(commit->node_id);
    const auto* create = std::get_if<CreateOp>(&op.body);
    if (i >= count || !create || create->type != remote::NodeType::file || committed.contains(create->node_id)) continue;
    auto queued = queued_at_.find(op.seq);
    if (queued != queued_at_.end() && queued->second + kCreateSettle > now) first = i;
  }
  return first;
}

// The sender's exception barrier. A throw cannot be pinned on one op of a window, so the
// window's ops are sent again one at a time (so are those of a window whose folders kept
// changing, OpSender::send); an op that throws alone fails with the exception
// and is set aside like an op the server refused. The sender forgets what it cached, since a
// throw may have left it half updated.
Result<std::vector<Status>> UploadQueue::send_guarded(std::span<const JournalOp> window) {
  std::optional<Result<std::vector<Status>>> results;
  auto sent = log::barrier("upload sender", [&] {
    results.emplace(sender_.send(window));
    return Status{};
  });
  if (sent) {
    if (!*results && results->error().code == Errc::conflict && window.size() > 1) {
      std::lock_guard lock(mutex_);
      isolate_through_ = window.back().seq;
    }
    return std::move(*results);
  }
  sender_.forget_state();
  if (window.size() == 1) return std::vector<Status>{sent};
  std::lock_guard lock(mutex_);
  isolate_through_ = window.back().seq;
  return make_error(Errc::internal, sent.error().message + "; sending its ops one at a time");
}

// Before the window is acknowledged: an op the server refused for good stays in the journal's
// set-aside store (its blob files with it), never only in the log.
// An op of a revoked grant is not kept (drop_share); one of a grant is remembered, to be dropped
// if the grant turns out revoked.
Status UploadQueue::set_aside(std::span<const JournalOp> window, const std::vector<Status>& results) {
  for (std::size_t i = 0; i < window.size(); ++i) {
    if (results[i]) continue;
    const JournalOp& op = window[i];
    const Errc code = results[i].error().code;
    std::string share;
    {
      std::lock_guard lock(mutex_);
      if (dropping_.contains(op.seq)) continue;
      if (auto tag = share_of_.find(op.seq); tag != share_of_.end()) share = tag->second;
    }
    spdlog::error("upload: {} of node {} (journal seq {}) is set aside: {}", op_name(op.body), op_node_id(op.body), op.seq,
                  results[i].error().message);
    if (auto kept = journal_.set_aside(op, results[i].error().message); !kept) {
      return make_error(kept.error().code, "op " + std::to_string(op.seq) + " cannot be set aside: " + kept.error().message);
    }
    if (share.empty()) continue;
    {
      std::lock_guard lock(mutex_);
      set_aside_shares_.insert_or_assign(op.seq, std::make_pair(share, op));
    }
    if (code != Errc::not_found && code != Errc::permission_denied) continue;
    std::lock_guard lock(listener_mutex_);
    if (share_listener_) share_listener_(share);
  }
  return {};
}

void UploadQueue::halt(const Error& why) {
  {
    std::lock_guard lock(mutex_);
    halted_ = true;
    last_error_ = "uploads stopped (" + why.message + "); every change stays in the journal for the next mount";
    spdlog::error("upload: {}", last_error_);
  }
  progress_.notify_all();
}

void UploadQueue::complete(std::span<const JournalOp> window, const std::vector<Status>& results) {
  std::unique_lock lock(mutex_);
  std::uint64_t last = 0;
  for (std::size_t i = 0; i < window.size(); ++i) {
    JournalOp op = std::move(pending_.front());
    pending_.pop_front();
    last = op.seq;
    forget_pending_locked(op);
    const bool dropped = dropping_.erase(op.seq) > 0;
    if (dropped && !results[i]) {
      failures_.insert_or_assign(op.seq, Error(Errc::permission_denied, "the share was revoked"));
      release_blobs_locked(op, false);
      continue;
    }
    if (!results[i]) {
      ++failed_ops_;
      last_error_ = results[i].error().message;
      failures_.emplace(op.seq, results[i].error());
      if (failures_.size() > kRememberedFailures) failures_.erase(failures_.begin());
    }
    release_blobs_locked(op, !dropped);
  }
  acked_seq_ = last;
  if (pending_.empty() && failed_ops_ == 0) last_error_.clear();
  lock.unlock();
  if (auto status = journal_.acknowledge(last); !status) spdlog::error("journal: {}", status.error().message);
  progress_.notify_all();
}

// Blob files of an acknowledged op are on the server now; the cache keeps them for reads
// (`keep`), unless the op was a revoked grant's.
void UploadQueue::release_blobs_locked(const JournalOp& op, bool keep) {
  for (const auto& id : op_blob_files(op.body)) {
    auto it = blob_refs_.find(id);
    if (it == blob_refs_.end() || --it->second > 0) continue;
    blob_refs_.erase(it);
    if (!journal_.has_blob(id)) continue;
    if (keep) cache_.adopt(id, journal_.blob_path(id));
    else journal_.remove_blob(id);
  }
}

}  // namespace coffer::sync
