#include "server/backup/blob_copy.hpp"

#include <deque>

#include "server/storage/local/sha256_stream.hpp"

namespace coffer::server::backup {
namespace {

constexpr std::uint64_t kBatchBytes = 64u << 20;
constexpr std::size_t kBatchBlobs = 4096;

struct Batch {
  std::deque<std::string> bytes;  // a deque never moves what it holds: `blobs` views into it
  std::vector<storage::BlobData> blobs;
  std::uint64_t size = 0;
};

Status store_batch(storage::BlobStore& to, Batch& batch) {
  if (batch.blobs.empty()) return {};
  auto staged = to.stage_many(batch.blobs);
  if (!staged) return staged.error();
  std::vector<std::string> ids;
  for (const auto& blob : batch.blobs) ids.push_back(blob.id);
  COFFER_TRY_STATUS((*staged)->publish(ids));
  COFFER_TRY_STATUS((*staged)->sync_published());
  batch = Batch{};
  return {};
}

}  // namespace

Result<std::string> read_blob(storage::BlobStore& store, const std::string& id) {
  auto reader = store.open(id);
  if (!reader) return reader.error();
  std::string bytes((*reader)->size(), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = (*reader)->read_at(done, std::span<char>(bytes.data() + done, bytes.size() - done));
    if (!n) return n.error();
    if (*n == 0) return make_error(Errc::io, "blob " + id + " ended early");
    done += *n;
  }
  return bytes;
}

Result<CopyResult> copy_blobs(storage::BlobStore& from, storage::BlobStore& to, std::span<const BlobRef> blobs,
                              const ProgressSink& progress, std::stop_token stop) {
  Progress shown{"copying blobs", 0, blobs.size(), 0, 0};
  for (const auto& blob : blobs) shown.total_bytes += blob.size;
  CopyResult result;
  Batch batch;
  for (const auto& blob : blobs) {
    if (stop.stop_requested()) return make_error(Errc::unavailable, "the backup was stopped");
    ++shown.done_items;
    shown.done_bytes += blob.size;
    auto present = to.contains(blob.id);
    if (!present) return present.error();
    if (*present) continue;
    auto bytes = read_blob(from, blob.id);
    if (!bytes) {
      if (bytes.error().code != Errc::not_found) return bytes.error();
      result.missing.push_back(blob.id);
      continue;
    }
    if (storage::Sha256Stream::hex_of(*bytes) != blob.id) {
      result.damaged.push_back(blob.id);
      continue;
    }
    result.copied_blobs += 1;
    result.copied_bytes += bytes->size();
    batch.size += bytes->size();
    batch.bytes.push_back(std::move(*bytes));
    batch.blobs.push_back({blob.id, batch.bytes.back()});
    if (batch.size >= kBatchBytes || batch.blobs.size() >= kBatchBlobs) {
      COFFER_TRY_STATUS(store_batch(to, batch));
      if (progress) progress(shown);
    }
  }
  COFFER_TRY_STATUS(store_batch(to, batch));
  if (progress) progress(shown);
  return result;
}

}  // namespace coffer::server::backup
