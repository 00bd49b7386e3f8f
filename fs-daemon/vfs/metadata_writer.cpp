#include "vfs/metadata_writer.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>

#include "log/thread_barrier.hpp"

namespace coffer::vfs {
namespace {

cache::MetadataBatch batch_of(const MetadataSnapshot& snapshot) {
  cache::MetadataBatch batch;
  for (const auto& [id, listing] : snapshot.listings) {
    batch.puts.emplace_back(cache::MetadataKey{cache::MetadataKind::folder, id}, encode_listing(listing));
  }
  for (const auto& node : snapshot.nodes) {
    batch.puts.emplace_back(cache::MetadataKey{cache::MetadataKind::node, node.node_id}, encode_node(node));
  }
  for (const auto& id : snapshot.dropped_listings) batch.drops.push_back({cache::MetadataKind::folder, id});
  for (const auto& id : snapshot.dropped_nodes) batch.drops.push_back({cache::MetadataKind::node, id});
  return batch;
}

bool same_state(const std::optional<cache::MetadataState>& a, const std::optional<cache::MetadataState>& b) {
  return a.has_value() == b.has_value() && (!a || (a->cursor == b->cursor && a->clean == b->clean));
}

}  // namespace

MetadataWriter::MetadataWriter(Vfs& vfs, cache::MetadataCache& cache, sync::UploadQueue& queue,
                               std::chrono::milliseconds interval)
    : vfs_(vfs), cache_(cache), queue_(queue), interval_(interval) {}

MetadataWriter::~MetadataWriter() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void MetadataWriter::feed_current(std::uint64_t cursor) {
  std::lock_guard lock(cursor_mutex_);
  feed_cursor_ = cursor;
}

void MetadataWriter::start(std::optional<cache::MetadataState> stored) {
  stored_ = stored;
  failed_at_start_ = queue_.status().failed_ops;
  if (auto written = write_once(false); !written) give_up(written.error());
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

void MetadataWriter::stop() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
  if (auto written = log::barrier("metadata cache writer", [&] { return write_once(true); }); !written) {
    give_up(written.error());
  }
}

void MetadataWriter::run(std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  while (!stop.stop_requested() && !given_up_) {
    {
      std::unique_lock lock(mutex);
      if (wake.wait_for(lock, stop, interval_, [] { return false; }) || stop.stop_requested()) return;
    }
    if (auto written = log::barrier("metadata cache writer", [&] { return write_once(false); }); !written) {
      give_up(written.error());
    }
  }
}

Status MetadataWriter::write_once(bool final) {
  if (given_up_) return {};
  if (queue_.status().failed_ops > failed_at_start_) {
    give_up(make_error(Errc::conflict, "an upload was set aside, so this mount may show what the server does not hold"));
    return {};
  }
  std::optional<std::uint64_t> cursor;
  {
    std::lock_guard lock(cursor_mutex_);
    cursor = feed_cursor_;
  }
  // The cursor is read before the snapshot: every change up to it was applied, and marked, by
  // then.
  const auto snapshot = vfs_.take_metadata_snapshot();
  auto batch = batch_of(snapshot);
  std::optional<cache::MetadataState> state = stored_;
  if (cursor && snapshot.settled) state = cache::MetadataState{*cursor, final};
  else if (state) state->clean = false;
  if (!same_state(state, stored_)) batch.state = state;
  COFFER_TRY_STATUS(cache_.write(batch));
  stored_ = state;
  vfs_.metadata_written(snapshot);
  return {};
}

void MetadataWriter::give_up(const Error& why) {
  if (given_up_) return;
  given_up_ = true;
  spdlog::warn("metadata cache: {}; emptied, and not written again until the next mount", why.message);
  vfs_.detach_metadata();
  if (auto cleared = cache_.clear(); !cleared) spdlog::error("metadata cache: {}", cleared.error().message);
}

}  // namespace coffer::vfs
