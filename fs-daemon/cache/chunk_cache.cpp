#include "cache/chunk_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "profile/private_file.hpp"

namespace coffer::cache {

Result<std::unique_ptr<ChunkCache>> ChunkCache::open(const std::filesystem::path& dir, std::uint64_t capacity) {
  COFFER_TRY_STATUS(profile::ensure_private_dir(dir));
  std::unique_ptr<ChunkCache> cache(new ChunkCache(dir, capacity));
  cache->scan();
  return cache;
}

std::filesystem::path ChunkCache::path_of(const std::string& id) const { return dir_ / id.substr(0, 2) / id; }

void ChunkCache::scan() {
  struct Found {
    std::string id;
    std::uint64_t size;
    std::filesystem::file_time_type time;
  };
  std::vector<Found> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_, ec)) {
    if (!entry.is_regular_file()) continue;
    if (entry.path().extension() == ".tmp") {
      std::filesystem::remove(entry.path(), ec);
      continue;
    }
    found.push_back({entry.path().filename().string(), entry.file_size(), entry.last_write_time()});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.time < b.time; });
  std::lock_guard lock(mutex_);
  for (const auto& item : found) insert_locked(item.id, item.size);
  evict_locked();
}

std::optional<ChunkBytes> ChunkCache::get(const std::string& id) {
  {
    std::lock_guard lock(mutex_);
    auto it = items_.find(id);
    if (it == items_.end()) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second.position);
  }
  int fd = ::open(path_of(id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  // Files are renamed into place whole, so the size at open is the size: one buffer, read once.
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  auto data = ChunkBytes::uninitialized(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  data.resize(done);
  return data;
}

void ChunkCache::put(const std::string& id, ByteView data) {
  if (contains(id) || data.size() > capacity_) return;
  auto final_path = path_of(id);
  std::error_code ec;
  std::filesystem::create_directories(final_path.parent_path(), ec);
  auto temporary = final_path;
  temporary += ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  ::close(fd);
  if (!ok || ::rename(temporary.c_str(), final_path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return;
  }
  std::lock_guard lock(mutex_);
  insert_locked(id, data.size());
  evict_locked();
}

void ChunkCache::adopt(const std::string& id, const std::filesystem::path& file) {
  auto final_path = path_of(id);
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec) return;
  if (contains(id) || size > capacity_) {
    std::filesystem::remove(file, ec);
    return;
  }
  std::filesystem::create_directories(final_path.parent_path(), ec);
  if (::rename(file.c_str(), final_path.c_str()) != 0) {
    std::filesystem::remove(file, ec);
    return;
  }
  std::lock_guard lock(mutex_);
  insert_locked(id, size);
  evict_locked();
}

bool ChunkCache::contains(const std::string& id) const {
  std::lock_guard lock(mutex_);
  return items_.contains(id);
}

void ChunkCache::remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = items_.find(id);
  if (it == items_.end()) return;
  used_ -= it->second.size;
  order_.erase(it->second.position);
  items_.erase(it);
  ::unlink(path_of(id).c_str());
}

std::uint64_t ChunkCache::used_bytes() const {
  std::lock_guard lock(mutex_);
  return used_;
}

void ChunkCache::insert_locked(const std::string& id, std::uint64_t size) {
  if (items_.contains(id)) return;
  order_.push_front(id);
  items_[id] = Item{size, order_.begin()};
  used_ += size;
}

void ChunkCache::evict_locked() {
  while (used_ > capacity_ && !order_.empty()) {
    const std::string id = order_.back();
    order_.pop_back();
    used_ -= items_[id].size;
    items_.erase(id);
    ::unlink(path_of(id).c_str());
  }
}

}  // namespace coffer::cache
