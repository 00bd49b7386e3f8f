#include "server/storage/local/local_blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "server/storage/local/direct_file_writer.hpp"
#include "server/storage/local/posix_file.hpp"
#include "server/storage/local/sha256_stream.hpp"

namespace coffer::server::storage {
namespace {

// Ids become file names, so only exact lowercase SHA-256 hex is ever accepted here.
bool is_blob_id(std::string_view id) {
  if (id.size() != 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status check_id(std::string_view id) {
  if (!is_blob_id(id)) return make_error(Errc::invalid_argument, "a blob id is 64 lowercase hex characters");
  return {};
}

class LocalBlobWriter final : public BlobWriter {
 public:
  LocalBlobWriter(LocalBlobStore& store, std::string id, std::filesystem::path temp, int fd, std::uint64_t max_size)
      : store_(store), id_(std::move(id)), temp_(std::move(temp)), file_(FileDescriptor(fd), temp_),
        max_size_(max_size) {}

  ~LocalBlobWriter() override {
    if (!published_) ::unlink(temp_.c_str());
  }

  Status write(std::string_view data) override {
    if (size_ + data.size() > max_size_) return make_error(Errc::too_large, "the blob is larger than the limit");
    size_ += data.size();
    hash_.update(data);
    return file_.append(data);
  }

  Result<std::uint64_t> commit() override {
    if (hash_.hex_digest() != id_) return make_error(Errc::integrity, "the body does not hash to the blob id");
    COFFER_TRY_STATUS(file_.finish());
    COFFER_TRY_STATUS(store_.publish(temp_, id_));
    published_ = true;
    return size_;
  }

 private:
  LocalBlobStore& store_;
  std::string id_;
  std::filesystem::path temp_;
  DirectFileWriter file_;
  std::uint64_t max_size_;
  std::uint64_t size_ = 0;
  Sha256Stream hash_;
  bool published_ = false;
};

class LocalBlobReader final : public BlobReader {
 public:
  LocalBlobReader(FileDescriptor fd, std::uint64_t size, std::filesystem::path path)
      : fd_(std::move(fd)), size_(size), path_(std::move(path)) {}

  std::uint64_t size() const override { return size_; }

  Result<std::size_t> read_at(std::uint64_t offset, std::span<char> out) override {
    std::size_t done = 0;
    while (done < out.size() && offset + done < size_) {
      const ssize_t got = ::pread(fd_.get(), out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return io_error("reading", path_);
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }

 private:
  FileDescriptor fd_;
  std::uint64_t size_;
  std::filesystem::path path_;
};

}  // namespace

Result<std::unique_ptr<LocalBlobStore>> LocalBlobStore::open(const std::filesystem::path& root) {
  std::error_code error;
  std::filesystem::create_directories(root / "tmp", error);
  if (error) return make_error(Errc::io, "cannot create " + (root / "tmp").string() + ": " + error.message());
  // Leftovers of uploads cut short by a crash: never referenced, safe to drop.
  for (const auto& leftover : std::filesystem::directory_iterator(root / "tmp", error)) {
    std::filesystem::remove(leftover.path(), error);
  }
  if (error) return make_error(Errc::io, "cannot clear " + (root / "tmp").string() + ": " + error.message());
  return std::unique_ptr<LocalBlobStore>(new LocalBlobStore(root));
}

Result<std::unique_ptr<LocalBlobStore>> LocalBlobStore::attach(const std::filesystem::path& root) {
  std::error_code error;
  std::filesystem::create_directories(root / "tmp", error);
  if (error) return make_error(Errc::io, "cannot create " + (root / "tmp").string() + ": " + error.message());
  return std::unique_ptr<LocalBlobStore>(new LocalBlobStore(root));
}

std::filesystem::path LocalBlobStore::path_of(const std::string& id) const { return root_ / id.substr(0, 2) / id; }

Result<std::pair<std::filesystem::path, int>> LocalBlobStore::create_temp() {
  std::string pattern = (root_ / "tmp" / "blob-XXXXXX").string();
  const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) return io_error("creating a temp file in", root_ / "tmp");
  return std::make_pair(std::filesystem::path(pattern), fd);
}

Status LocalBlobStore::ensure_shard(const std::string& id) {
  const auto shard = root_ / id.substr(0, 2);
  if (::mkdir(shard.c_str(), 0700) == 0) return sync_directory(root_);
  if (errno == EEXIST) return {};
  return io_error("creating", shard);
}

Status LocalBlobStore::publish(const std::filesystem::path& temp, const std::string& id) {
  COFFER_TRY_STATUS(ensure_shard(id));
  const auto target = path_of(id);
  if (::rename(temp.c_str(), target.c_str()) != 0) return io_error("renaming into", target);
  return sync_directory(target.parent_path());
}

Result<std::unique_ptr<BlobWriter>> LocalBlobStore::create(const std::string& id, std::uint64_t max_size) {
  COFFER_TRY_STATUS(check_id(id));
  auto temp = create_temp();
  if (!temp) return temp.error();
  return std::unique_ptr<BlobWriter>(
      std::make_unique<LocalBlobWriter>(*this, id, temp->first, temp->second, max_size));
}

Status LocalBlobStore::put_many(std::span<const BlobData> blobs) {
  for (const auto& blob : blobs) {
    COFFER_TRY_STATUS(check_id(blob.id));
    if (Sha256Stream::hex_of(blob.bytes) != blob.id) {
      return make_error(Errc::integrity, "blob " + blob.id + " does not hash to its id");
    }
  }
  if (blobs.size() < kSyncFileSystemFrom) {
    for (const auto& blob : blobs) COFFER_TRY_STATUS(put_one(blob));
    return {};
  }
  // Many small blobs: write every temp file, make them all durable with one syncfs, rename
  // them into place, and one more syncfs makes the renames durable: two syncs for the whole
  // batch instead of two per blob.
  std::vector<std::filesystem::path> temps;
  auto cleanup = [&] {
    for (const auto& path : temps) ::unlink(path.c_str());
  };
  for (const auto& blob : blobs) {
    auto temp = create_temp();
    if (!temp) return cleanup(), temp.error();
    temps.push_back(temp->first);
    FileDescriptor fd(temp->second);
    if (auto written = write_all(fd.get(), blob.bytes, temp->first); !written) return cleanup(), written.error();
  }
  if (auto synced = sync_file_system(root_); !synced) return cleanup(), synced.error();
  for (std::size_t i = 0; i < blobs.size(); ++i) {
    if (auto made = ensure_shard(blobs[i].id); !made) return cleanup(), made.error();
    const auto target = path_of(blobs[i].id);
    if (::rename(temps[i].c_str(), target.c_str()) != 0) return cleanup(), io_error("renaming into", target);
  }
  return sync_file_system(root_);
}

Status LocalBlobStore::put_one(const BlobData& blob) {
  auto temp = create_temp();
  if (!temp) return temp.error();
  FileDescriptor fd(temp->second);
  auto written = write_all(fd.get(), blob.bytes, temp->first);
  if (written) written = sync_file(fd.get(), temp->first);
  if (written) written = publish(temp->first, blob.id);
  if (!written) ::unlink(temp->first.c_str());
  return written;
}

Result<std::unique_ptr<BlobReader>> LocalBlobStore::open(const std::string& id) {
  COFFER_TRY_STATUS(check_id(id));
  const auto path = path_of(id);
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return make_error(Errc::not_found, "no such blob");
    return io_error("opening", path);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return io_error("reading the size of", path);
  return std::unique_ptr<BlobReader>(
      std::make_unique<LocalBlobReader>(std::move(fd), static_cast<std::uint64_t>(info.st_size), path));
}

Result<bool> LocalBlobStore::contains(const std::string& id) {
  COFFER_TRY_STATUS(check_id(id));
  struct stat info {};
  if (::stat(path_of(id).c_str(), &info) == 0) return true;
  if (errno == ENOENT) return false;
  return io_error("checking", path_of(id));
}

Status LocalBlobStore::remove(const std::string& id) {
  COFFER_TRY_STATUS(check_id(id));
  if (::unlink(path_of(id).c_str()) != 0) {
    if (errno == ENOENT) return make_error(Errc::not_found, "no such blob");
    return io_error("removing", path_of(id));
  }
  return sync_directory(path_of(id).parent_path());
}

}  // namespace coffer::server::storage
