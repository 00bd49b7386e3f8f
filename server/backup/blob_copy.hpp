#pragma once

#include <cstdint>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "server/backup/progress.hpp"
#include "server/storage/blob_store.hpp"

namespace coffer::server::backup {

struct BlobRef {
  std::string id;
  std::uint64_t size = 0;
};

struct CopyResult {
  std::uint64_t copied_blobs = 0;
  std::uint64_t copied_bytes = 0;
  std::vector<std::string> missing;  // not in the source
  std::vector<std::string> damaged;  // in the source with bytes that do not hash to the id
};

// Copies every blob of `blobs` that `to` does not hold yet from `from`, verifying each against its
// id on the way (a damaged source blob is reported, never copied), in batches of up to 64 MiB
// staged and synced together (one syncfs per batch instead of two syncs per blob). A blob `to`
// already holds is trusted to be whole: `backup verify` is what re-reads them. A stop request
// ends the copy between two blobs with Errc::unavailable (what was synced stays).
Result<CopyResult> copy_blobs(storage::BlobStore& from, storage::BlobStore& to, std::span<const BlobRef> blobs,
                              const ProgressSink& progress, std::stop_token stop = {});

// Reads a whole blob; Errc::not_found when missing.
Result<std::string> read_blob(storage::BlobStore& store, const std::string& id);

}  // namespace coffer::server::backup
