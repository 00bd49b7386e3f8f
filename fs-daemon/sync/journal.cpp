#include "sync/journal.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <type_traits>

#include "crypto/encoding.hpp"
#include "crypto/fernet.hpp"
#include "crypto/hash.hpp"
#include "profile/private_file.hpp"

namespace coffer::sync {
namespace {

Error io_error(const std::filesystem::path& path, const char* what) {
  return make_error(Errc::io, path.string() + ": " + what + ": " + std::strerror(errno));
}

bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Nothing writes a journal file while it is read here (the log and the acked mark are read
// once at start, blobs are renamed into place whole), so the size at open is the size: one
// buffer, one copy, no regrowth.
// Blobs are chunk-sized and read into a ChunkBytes, which is not zeroed before the read fills it.
template <class Buffer>
Buffer sized_buffer(std::size_t size) {
  if constexpr (std::is_same_v<Buffer, ChunkBytes>) return ChunkBytes::uninitialized(size);
  else return Buffer(size);
}

template <class Buffer>
Result<Buffer> read_whole(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return make_error(Errc::io, std::string("cannot read the journal: ") + std::strerror(errno));
  Buffer content = sized_buffer<Buffer>(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::read(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(Errc::io, std::string("cannot read the journal: ") + std::strerror(errno));
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  content.resize(done);
  return content;
}

}  // namespace

Result<std::unique_ptr<Journal>> Journal::open(const std::filesystem::path& dir, const crypto::FernetKey& key) {
  COFFER_TRY_STATUS(profile::ensure_private_dir(dir / "blobs"));
  COFFER_TRY_STATUS(profile::ensure_private_dir(dir / "damaged"));
  std::unique_ptr<Journal> journal(new Journal(dir, key));
  COFFER_TRY_STATUS(journal->set_aside_.prepare());
  COFFER_TRY_STATUS(journal->conflicts_.prepare());
  COFFER_TRY_STATUS(journal->load());
  return journal;
}

Journal::~Journal() {
  if (log_fd_ >= 0) ::close(log_fd_);
  if (acked_fd_ >= 0) ::close(acked_fd_);
}

// A new log is renamed into place with its header, so ops.log never exists without one. An
// empty log (what an older coffer left once everything was acknowledged) holds nothing to keep.
Status Journal::create_log() const {
  const auto path = dir_ / "ops.log";
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0) return {};
  const Bytes header = log_header();
  COFFER_TRY_STATUS(profile::write_private_file(path, to_string(header)));
  return profile::sync_folder(dir_);
}

Status Journal::load() {
  acked_fd_ = ::open((dir_ / "acked").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (acked_fd_ < 0) return io_error(dir_ / "acked", "cannot open");
  auto acked_text = read_whole<Bytes>(acked_fd_);
  if (!acked_text) return std::move(acked_text).error();
  std::from_chars(reinterpret_cast<const char*>(acked_text->data()),
                  reinterpret_cast<const char*>(acked_text->data() + acked_text->size()), acked_seq_);
  last_seq_ = acked_seq_;

  COFFER_TRY_STATUS(create_log());
  log_fd_ = ::open((dir_ / "ops.log").c_str(), O_RDWR | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd_ < 0) return io_error(dir_ / "ops.log", "cannot open");
  auto log = read_whole<Bytes>(log_fd_);
  if (!log) return std::move(log).error();
  if (auto problem = log_header_problem(*log)) {
    return make_error(Errc::unsupported, (dir_ / "ops.log").string() + ": " + *problem +
                                             "; it is left as it is. `coffer logout --force` and a new login start "
                                             "a new journal (the changes in this one are dropped)");
  }
  COFFER_TRY_STATUS(load_records(*log));
  synced_seq_ = last_seq_;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "blobs")) {
    if (entry.path().extension() == ".tmp") std::filesystem::remove(entry.path());
  }
  return {};
}

Status Journal::load_records(ByteView log) {
  const auto path = dir_ / "ops.log";
  LogScan scan = scan_log(log, key_);
  if (scan.ops.empty() && scan.whole_records > 0) {
    // Whole records and not one opens: that is the wrong key, not damage to every record.
    return make_error(Errc::integrity, path.string() + " does not open with this profile's journal key; it is left as it is");
  }
  for (const auto& span : scan.damaged) {
    COFFER_TRY_STATUS(keep_damaged(log, span, "a damaged record; the records after it are replayed"));
  }
  log_size_ = log.size();
  if (scan.tail) {
    COFFER_TRY_STATUS(keep_damaged(log, *scan.tail, "a torn tail, cut off"));
    if (::ftruncate(log_fd_, static_cast<off_t>(scan.tail->offset)) != 0) return io_error(path, "cannot cut the torn tail");
    log_size_ = scan.tail->offset;
  }
  for (auto& op : scan.ops) {
    last_seq_ = std::max(last_seq_, op.seq);
    if (op.seq > acked_seq_) replayed_.push_back(std::move(op));
  }
  return {};
}

// Named by the SHA-256 of the bytes, so a damaged record found again at the next open (it stays
// in the log until everything is acknowledged) is kept once.
Status Journal::keep_damaged(ByteView log, const LogSpan& span, const char* what) const {
  ByteView bytes = log.subspan(span.offset, span.length);
  auto digest = crypto::sha256(bytes);
  const std::string name = crypto::hex_encode(digest);
  const std::string seq = span.seq ? ", record seq " + std::to_string(*span.seq) : "";
  spdlog::error("journal: {} bytes at offset {} of {} do not open ({}{}); kept in {}", span.length, span.offset,
                (dir_ / "ops.log").string(), what, seq, (damaged_dir() / name).string());
  if (std::filesystem::exists(damaged_dir() / name)) return {};
  COFFER_TRY_STATUS(profile::write_private_file(damaged_dir() / name, to_string(bytes)));
  return profile::sync_folder(damaged_dir());
}

std::size_t Journal::damaged_count() const {
  std::size_t count = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(damaged_dir(), ec)) {
    if (entry.path().extension() != ".tmp") ++count;
  }
  return count;
}

std::vector<JournalOp> Journal::take_replayed() {
  std::lock_guard lock(mutex_);
  return std::move(replayed_);
}

Result<std::uint64_t> Journal::append(OpBody body) {
  std::lock_guard lock(mutex_);
  JournalOp op{last_seq_ + 1, std::move(body)};
  std::string text = encode_op(op);
  Bytes token = crypto::fernet_encrypt_raw(key_, as_bytes(text));
  secure_zero(text.data(), text.size());
  Bytes record = encode_record(op.seq, token);
  if (!write_all(log_fd_, record.data(), record.size())) {
    auto error = io_error(dir_ / "ops.log", "cannot append");
    // A part of a record (disk full) would be damage in the middle once the next one follows.
    // If cutting it off fails too, the append's error is still the one to report.
    [[maybe_unused]] const int truncated = ::ftruncate(log_fd_, static_cast<off_t>(log_size_));
    return error;
  }
  log_size_ += record.size();
  last_seq_ = op.seq;
  return op.seq;
}

Status Journal::sync(std::uint64_t seq) {
  std::unique_lock lock(mutex_);
  while (synced_seq_ < seq) {
    if (syncing_) {
      synced_cv_.wait(lock);
      continue;
    }
    syncing_ = true;
    std::uint64_t target = last_seq_;
    lock.unlock();
    int rc = ::fdatasync(log_fd_);
    lock.lock();
    syncing_ = false;
    synced_cv_.notify_all();
    if (rc != 0) return io_error(dir_ / "ops.log", "cannot sync");
    synced_seq_ = std::max(synced_seq_, target);
  }
  return {};
}

Status Journal::acknowledge(std::uint64_t seq) {
  std::lock_guard lock(mutex_);
  if (seq <= acked_seq_) return {};
  acked_seq_ = seq;
  COFFER_TRY_STATUS(write_acked(seq));
  if (acked_seq_ != last_seq_ || syncing_) return {};
  // Everything is on the server: the log starts over (sequence numbers keep counting). The
  // count is made durable first, or a crash could leave an empty log and an older count.
  if (::fdatasync(acked_fd_) != 0) return io_error(dir_ / "acked", "cannot sync");
  if (::ftruncate(log_fd_, static_cast<off_t>(kLogHeaderSize)) != 0) return io_error(dir_ / "ops.log", "cannot truncate");
  log_size_ = kLogHeaderSize;
  return {};
}

Status Journal::drop(const std::set<std::uint64_t>& seqs) {
  const auto path = dir_ / "ops.log";
  std::unique_lock lock(mutex_);
  synced_cv_.wait(lock, [&] { return !syncing_; });  // no fdatasync of the old file in flight
  Bytes log(log_size_);
  if (::pread(log_fd_, log.data(), log.size(), 0) != static_cast<ssize_t>(log.size())) return io_error(path, "cannot read");
  Bytes rewritten = log_header();
  for (const auto& op : scan_log(log, key_).ops) {
    if (op.seq <= acked_seq_ || seqs.contains(op.seq)) continue;
    std::string text = encode_op(op);
    Bytes token = crypto::fernet_encrypt_raw(key_, as_bytes(text));
    secure_zero(text.data(), text.size());
    Bytes record = encode_record(op.seq, token);
    rewritten.insert(rewritten.end(), record.begin(), record.end());
  }
  secure_zero(log.data(), log.size());
  COFFER_TRY_STATUS(profile::write_private_file(path, to_string(rewritten)));
  COFFER_TRY_STATUS(profile::sync_folder(dir_));
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return io_error(path, "cannot open");
  ::close(log_fd_);
  log_fd_ = fd;
  log_size_ = rewritten.size();
  synced_seq_ = last_seq_;
  return {};
}

Status Journal::write_acked(std::uint64_t seq) {
  char text[24] = {};
  auto [end, ec] = std::to_chars(text, text + 20, seq);
  std::fill(end, text + 21, ' ');
  text[21] = '\n';
  if (::pwrite(acked_fd_, text, 22, 0) != 22) return io_error(dir_ / "acked", "cannot write");
  return {};
}

std::uint64_t Journal::last_seq() const {
  std::lock_guard lock(mutex_);
  return last_seq_;
}

std::uint64_t Journal::acked_seq() const {
  std::lock_guard lock(mutex_);
  return acked_seq_;
}

Status Journal::write_blob(const std::string& id, ByteView data, bool durable) {
  auto final_path = blob_path(id);
  auto temporary = final_path;
  temporary += ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error(temporary, "cannot create");
  bool ok = write_all(fd, data.data(), data.size()) && (!durable || ::fdatasync(fd) == 0);
  ::close(fd);
  if (!ok || ::rename(temporary.c_str(), final_path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return io_error(final_path, "cannot write the blob");
  }
  if (durable) return sync_blob_dir();
  std::lock_guard lock(mutex_);
  unsynced_blobs_.push_back(id);
  return {};
}

// A renamed file's name is durable only once its folder is synced.
Status Journal::sync_blob_dir() const { return profile::sync_folder(dir_ / "blobs"); }

Status Journal::flush() {
  std::vector<std::string> blobs;
  std::uint64_t seq = 0;
  {
    std::lock_guard lock(mutex_);
    blobs.swap(unsynced_blobs_);
    seq = last_seq_;
  }
  for (const auto& id : blobs) {
    int fd = ::open(blob_path(id).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;  // uploaded and moved to the cache meanwhile
    int rc = ::fdatasync(fd);
    ::close(fd);
    if (rc != 0) return io_error(blob_path(id), "cannot sync");
  }
  if (!blobs.empty()) COFFER_TRY_STATUS(sync_blob_dir());
  return sync(seq);
}

Result<ChunkBytes> Journal::read_blob(const std::string& id) const {
  int fd = ::open(blob_path(id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(errno == ENOENT ? Errc::not_found : Errc::io, "journal blob " + id + ": " + std::strerror(errno));
  auto content = read_whole<ChunkBytes>(fd);
  ::close(fd);
  return content;
}

bool Journal::has_blob(const std::string& id) const { return std::filesystem::exists(blob_path(id)); }

void Journal::remove_blob(const std::string& id) { ::unlink(blob_path(id).c_str()); }

std::vector<std::string> Journal::list_blobs() const {
  std::vector<std::string> ids;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "blobs")) {
    if (entry.path().extension() != ".tmp") ids.push_back(entry.path().filename().string());
  }
  return ids;
}

}  // namespace coffer::sync
