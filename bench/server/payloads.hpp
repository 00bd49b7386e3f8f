#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace coffer::bench {

// The same bytes for the same index in every run and for every target, so cofferd and nginx
// store and serve identical data.
std::string blob_bytes(std::uint64_t index, std::size_t size);
std::string sha256_hex(const std::string& data);

// Bodies of POST /v1/batch for `files` small files: each file is a create op and a commit op
// with its one chunk inline (blob_bytes from `first_index` on); `per_request` files per body,
// body k into folder parents[k] (a fresh folder at revision 1, so that bodies sent in parallel
// do not wait on one folder's revisions), with that folder's next record.
std::vector<std::string> batch_bodies(const std::vector<std::string>& parents, std::size_t files, std::size_t size,
                                      std::size_t per_request, std::uint64_t first_index);

}  // namespace coffer::bench
