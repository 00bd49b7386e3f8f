#pragma once

#include <filesystem>
#include <memory>

#include "server/storage/blob_store.hpp"

namespace coffer::server::storage {

// Blobs as files under ROOT/<first two hex digits>/<id>. A blob is written to ROOT/tmp/ and
// fsynced (staged), renamed into its shard folder (published), and the folder fsynced
// (sync_published): after that it survives a crash, and a crash before publishing leaves only a
// temp file, which open() clears. stage_many() of many blobs replaces the per-file syncs by two
// syncfs(2) calls (one when staging, one in sync_published()).
class LocalBlobStore final : public BlobStore {
 public:
  // Creates ROOT and ROOT/tmp when missing and empties ROOT/tmp.
  static Result<std::unique_ptr<LocalBlobStore>> open(const std::filesystem::path& root);
  // The same store without clearing ROOT/tmp, for a second process beside the server.
  static Result<std::unique_ptr<LocalBlobStore>> attach(const std::filesystem::path& root);

  Result<std::unique_ptr<BlobWriter>> create(const std::string& id, std::uint64_t max_size) override;
  Result<std::unique_ptr<StagedBlobs>> stage_many(std::span<const BlobData> blobs) override;
  Result<std::unique_ptr<BlobReader>> open(const std::string& id) override;
  Result<bool> contains(const std::string& id) override;
  Status remove(const std::string& id) override;
  Status remove_many(std::span<const std::string> ids) override;

  std::filesystem::path path_of(const std::string& id) const;
  // Creates a temp file in ROOT/tmp: its path and an open descriptor.
  Result<std::pair<std::filesystem::path, int>> create_temp();
  // Moves a synced temp file into place without syncing the folder (the caller syncs).
  Status place(const std::filesystem::path& temp, const std::string& id);
  const std::filesystem::path& root() const { return root_; }

 private:
  explicit LocalBlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  Status ensure_shard(const std::string& id);

  // From this many blobs on, stage_many and sync_published sync the whole file system once each rather
  // than each file and folder.
  static constexpr std::size_t kSyncFileSystemFrom = 4;

  std::filesystem::path root_;
};

}  // namespace coffer::server::storage
