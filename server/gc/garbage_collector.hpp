#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>

#include "server/storage/local/local_blob_store.hpp"
#include "util/result.hpp"

namespace coffer::server::gc {

struct GcReport {
  std::uint64_t released_holdings = 0;  // uploads no version lists, older than the grace period
  std::uint64_t removed_blobs = 0;      // rows and files nothing holds or lists any more
  std::uint64_t removed_bytes = 0;
  std::uint64_t removed_files = 0;  // blob files no row names (left by a crash or by coffer-admin user delete)
};

// Gives back the space of blobs nothing needs (docs/server.md, "Garbage collection"), beside a
// running cofferd:
//
// 1. holdings (a user's upload, charged to them) of blobs that no version of any node lists,
//    last uploaded longer than `grace` ago: an upload whose commit is still to come is younger;
// 2. blob rows nothing holds or lists, with their files;
// 3. blob files no row names (a crash between a blob's rename and its commit; the files
//    `coffer-admin user delete` leaves).
//
// Each step runs in write transactions (SQLite's write lock, which cofferd's writers take too)
// of at most 1000 blobs, and files are removed inside them. cofferd renames an upload's file
// into place and inserts its row inside one write transaction, so while gc holds the lock no
// upload is between the two: a file without a row then is garbage, and an upload of the same
// bytes waits, finds neither row nor file, and stores both again.
Result<GcReport> collect_garbage(const std::filesystem::path& database, storage::LocalBlobStore& blobs,
                                 std::chrono::seconds grace);

}  // namespace coffer::server::gc
