#include "server/storage/local/local_blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <map>
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

  Result<std::uint64_t> finish() override {
    if (hash_.hex_digest() != id_) return make_error(Errc::integrity, "the body does not hash to the blob id");
    COFFER_TRY_STATUS(file_.finish());
    finished_ = true;
    return size_;
  }

  Status publish() override {
    if (!finished_) return make_error(Errc::internal, "a blob is published only after finish()");
    if (published_) return {};
    COFFER_TRY_STATUS(store_.place(temp_, id_));
    published_ = true;
    return {};
  }

  Status sync_published() override {
    if (!published_) return {};
    return sync_directory(store_.path_of(id_).parent_path());
  }

 private:
  LocalBlobStore& store_;
  std::string id_;
  std::filesystem::path temp_;
  DirectFileWriter file_;
  std::uint64_t max_size_;
  std::uint64_t size_ = 0;
  Sha256Stream hash_;
  bool finished_ = false;
  bool published_ = false;
};

// Blobs written and synced in ROOT/tmp, waiting for publish(); the rest are removed with it.
class LocalStagedBlobs final : public StagedBlobs {
 public:
  LocalStagedBlobs(LocalBlobStore& store, std::size_t sync_file_system_from)
      : store_(store), sync_file_system_from_(sync_file_system_from) {}

  ~LocalStagedBlobs() override {
    for (const auto& [id, temp] : temps_) ::unlink(temp.c_str());
  }

  void add(const std::string& id, std::filesystem::path temp) { temps_.emplace(id, std::move(temp)); }

  Status publish(std::span<const std::string> ids) override {
    for (const auto& id : ids) {
      if (!temps_.contains(id)) return make_error(Errc::invalid_argument, "blob " + id + " was not staged");
    }
    for (const auto& id : ids) {
      COFFER_TRY_STATUS(store_.place(temps_.at(id), id));
      temps_.erase(id);
      published_.push_back(id);
    }
    return {};
  }

  // Few: each shard folder synced. Many: one syncfs makes the renames durable.
  Status sync_published() override {
    if (published_.size() >= sync_file_system_from_) return sync_file_system(store_.root());
    for (const auto& id : published_) COFFER_TRY_STATUS(sync_directory(store_.path_of(id).parent_path()));
    return {};
  }

 private:
  LocalBlobStore& store_;
  std::size_t sync_file_system_from_;
  std::map<std::string, std::filesystem::path> temps_;  // id -> staged file not yet published
  std::vector<std::string> published_;
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

Status LocalBlobStore::place(const std::filesystem::path& temp, const std::string& id) {
  COFFER_TRY_STATUS(ensure_shard(id));
  const auto target = path_of(id);
  if (::rename(temp.c_str(), target.c_str()) != 0) return io_error("renaming into", target);
  return {};
}

Result<std::unique_ptr<BlobWriter>> LocalBlobStore::create(const std::string& id, std::uint64_t max_size) {
  COFFER_TRY_STATUS(check_id(id));
  auto temp = create_temp();
  if (!temp) return temp.error();
  return std::unique_ptr<BlobWriter>(
      std::make_unique<LocalBlobWriter>(*this, id, temp->first, temp->second, max_size));
}

Result<std::unique_ptr<StagedBlobs>> LocalBlobStore::stage_many(std::span<const BlobData> blobs) {
  for (const auto& blob : blobs) {
    COFFER_TRY_STATUS(check_id(blob.id));
    if (Sha256Stream::hex_of(blob.bytes) != blob.id) {
      return make_error(Errc::integrity, "blob " + blob.id + " does not hash to its id");
    }
  }
  // Few blobs: each file is synced on its own. Many small blobs: every temp file is written and
  // one syncfs makes them all durable; publishing them renames them all and syncs once more:
  // two syncs for the whole batch instead of two per blob.
  const bool few = blobs.size() < kSyncFileSystemFrom;
  auto staged = std::make_unique<LocalStagedBlobs>(*this, kSyncFileSystemFrom);
  for (const auto& blob : blobs) {
    auto temp = create_temp();
    if (!temp) return temp.error();
    staged->add(blob.id, temp->first);  // removed with `staged` from here on
    FileDescriptor fd(temp->second);
    COFFER_TRY_STATUS(write_all(fd.get(), blob.bytes, temp->first));
    if (few) COFFER_TRY_STATUS(sync_file(fd.get(), temp->first));
  }
  if (!few) COFFER_TRY_STATUS(sync_file_system(root_));
  return std::unique_ptr<StagedBlobs>(std::move(staged));
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

Status LocalBlobStore::remove_many(std::span<const std::string> ids) {
  for (const auto& id : ids) {
    COFFER_TRY_STATUS(check_id(id));
    if (::unlink(path_of(id).c_str()) != 0 && errno != ENOENT) return io_error("removing", path_of(id));
  }
  // One syncfs for every shard folder touched, rather than one folder sync per blob.
  if (ids.empty()) return {};
  return sync_file_system(root_);
}

}  // namespace coffer::server::storage
