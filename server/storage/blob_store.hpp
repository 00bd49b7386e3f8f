#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace coffer::server::storage {

// Content-addressed, immutable blobs (chunks): the id is the lowercase hex SHA-256 of the bytes.
// A blob becomes visible and durable in one step (commit / put_many), after which the metadata
// row that refers to it may commit. Implementations: local disk (local/); an S3-compatible one
// can follow behind the same interface.

// Streams one blob in. Destroying it without commit() leaves nothing behind.
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  // Errc::too_large once more than the writer's size limit has arrived.
  virtual Status write(std::string_view data) = 0;
  // Checks the bytes hash to the id (Errc::integrity otherwise), then makes the blob durable.
  // Returns its size.
  virtual Result<std::uint64_t> commit() = 0;
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

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual Result<std::unique_ptr<BlobWriter>> create(const std::string& id, std::uint64_t max_size) = 0;
  // Verifies every blob against its id first (Errc::integrity naming the first that fails,
  // storing nothing), then stores them all with one durability pass.
  virtual Status put_many(std::span<const BlobData> blobs) = 0;
  virtual Result<std::unique_ptr<BlobReader>> open(const std::string& id) = 0;  // Errc::not_found
  virtual Result<bool> contains(const std::string& id) = 0;
  virtual Status remove(const std::string& id) = 0;
};

}  // namespace coffer::server::storage
