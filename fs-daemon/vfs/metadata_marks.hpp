#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cache/metadata_cache.hpp"
#include "vfs/metadata_records.hpp"

namespace coffer::vfs {

// What the Vfs owes the metadata cache (vfs_persist.cpp), guarded by the tree mutex: listings
// and nodes changed since they were last written, and rows to remove (a folder or node the
// mount no longer knows, one that broke, one another device changed before the mount loaded
// it). A mark waits while its node has changes the server has not acknowledged, so a row only
// ever holds what the server holds.
struct MetadataMarks {
  cache::MetadataCache* cache = nullptr;  // none: the mount keeps no metadata cache
  bool serving = false;                   // listings are loaded from it (after the feed's catch-up)
  std::set<std::string> listings;
  std::set<std::string> nodes;
  std::set<std::string> dropped_listings;  // until written: never loaded meanwhile
  std::set<std::string> dropped_nodes;
};

// The marks taken at one moment, as plain records, sealed and written without the tree lock.
struct MetadataSnapshot {
  std::vector<std::pair<std::string, CachedListing>> listings;
  std::vector<CachedNode> nodes;
  std::vector<std::string> dropped_listings;
  std::vector<std::string> dropped_nodes;
  bool settled = true;  // no mark was left waiting for the server
};

}  // namespace coffer::vfs
