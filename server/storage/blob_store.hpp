#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace coffer::server::storage {

// Content-addressed, immutable blobs (chunks): the id is the lowercase hex SHA-256 of the bytes.
// A blob is stored in three steps: staged (verified and durable, but not visible: nothing names it
// yet), published (visible under its id), then synced (the publishing durable). The caller
// publishes only once it knows the blob will be kept (the quota charged, inside the transaction
// whose row refers to it), so a refused upload leaves nothing behind: destroying a writer or a
// staging that was not published removes what it wrote. It syncs after that transaction has
// committed, so that no folder sync is made under the database's write lock, and answers only
// then; a crash between the two can lose the publishing of a blob whose row committed, and the
// next upload of the same bytes puts it back (ContentService::finish_upload). Implementations: local disk (local/); an S3-compatible one can follow behind the
// same interface.

// Streams one blob in. Destroying it before publish() leaves nothing behind.
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  // Errc::too_large once more than the writer's size limit has arrived.
  virtual Status write(std::string_view data) = 0;
  // Checks the bytes hash to the id (Errc::integrity otherwise), then makes them durable, still
  // invisible. Returns the size.
  virtual Result<std::uint64_t> finish() = 0;
  // Makes the finished blob visible under its id.
  virtual Status publish() = 0;
  // Makes a publish() durable; nothing to do without one.
  virtual Status sync_published() = 0;
  // finish(), publish(), sync_published().
  Result<std::uint64_t> commit() {
    auto size = finish();
    if (!size) return size;
    if (auto published = publish(); !published) return published.error();
    if (auto synced = sync_published(); !synced) return synced.error();
    return size;
  }
};

class BlobReader {
 public:
  virtual ~BlobReader() = default;
  virtual std::uint64_t size() const = 0;
  // Reads up to out.size() bytes at `offset`; fewer only at the end.
  virtual Result<std::size_t> read_at(std::uint64_t offset, std::span<char> out) = 0;
};

struct BlobData {
  std::string id;
  std::string_view bytes;
};

// Many small blobs staged together (the batch route). Destroying it removes every blob that was
// not published.
class StagedBlobs {
 public:
  virtual ~StagedBlobs() = default;
  // Makes the named staged blobs visible; ids not staged are refused (Errc::invalid_argument)
  // before anything moves.
  virtual Status publish(std::span<const std::string> ids) = 0;
  // Makes what publish() did durable, with one durability pass.
  virtual Status sync_published() = 0;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual Result<std::unique_ptr<BlobWriter>> create(const std::string& id, std::uint64_t max_size) = 0;
  // Verifies every blob against its id first (Errc::integrity naming the first that fails,
  // staging nothing), then makes them all durable, still invisible, with one durability pass.
  virtual Result<std::unique_ptr<StagedBlobs>> stage_many(std::span<const BlobData> blobs) = 0;
  // stage_many(), then publish and sync every blob.
  Status put_many(std::span<const BlobData> blobs);
  virtual Result<std::unique_ptr<BlobReader>> open(const std::string& id) = 0;  // Errc::not_found
  virtual Result<bool> contains(const std::string& id) = 0;
  virtual Status remove(const std::string& id) = 0;
  // Removes many blobs with one durability pass at the end; a blob already gone is no error.
  // A removal a crash undoes leaves a file no row names, which gc reclaims.
  virtual Status remove_many(std::span<const std::string> ids) = 0;
};

inline Status BlobStore::put_many(std::span<const BlobData> blobs) {
  auto staged = stage_many(blobs);
  if (!staged) return staged.error();
  std::vector<std::string> ids;
  for (const auto& blob : blobs) ids.push_back(blob.id);
  COFFER_TRY_STATUS((*staged)->publish(ids));
  return (*staged)->sync_published();
}

}  // namespace coffer::server::storage
