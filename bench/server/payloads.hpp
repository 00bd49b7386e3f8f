#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace coffer::bench {

// The same bytes for the same index in every run and for every target, so cofferd and nginx
// store and serve identical data.
std::string blob_bytes(std::uint64_t index, std::size_t size);
std::string sha256_hex(const std::string& data);

// Bodies of POST /v1/batch for `files` small files under `parent`: each file is a create op
// and a commit op with its one chunk inline; `per_request` files per body.
std::vector<std::string> batch_bodies(const std::string& parent, std::size_t files, std::size_t size,
                                      std::size_t per_request);

}  // namespace coffer::bench
