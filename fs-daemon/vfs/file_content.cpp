#include "vfs/file_content.hpp"

#include <algorithm>
#include <cstring>

#include "log/thread_barrier.hpp"

namespace coffer::vfs {
namespace {

// A chunk of zeros becomes a hole: nothing to encrypt, store or upload.
std::optional<crypto::EncryptedChunk> encrypt_unless_zero(const crypto::FernetKey& key, ByteView plaintext) {
  return crypto::encrypt_chunk_or_hole(key, plaintext);
}

std::uint64_t block_bytes(std::uint64_t blocks) { return blocks * crypto::kDataBlockSize; }

}  // namespace

FileContent::FileContent(ContentServices& services, crypto::FernetKey key, BaseContent base)
    : services_(services), key_(std::move(key)), chunk_size_(base.chunk_size), size_(base.size),
      chunks_(std::move(base.chunks)) {
  chunks_.resize((size_ + chunk_size_ - 1) / chunk_size_);
}

FileContent::~FileContent() {
  // Written but never committed (the file was removed or truncated while open).
  for (const auto& id : fresh_blobs_) services_.journal.remove_blob(id);
}

std::size_t FileContent::covered(std::uint64_t index) const {
  std::uint64_t start = index * chunk_size_;
  if (start >= size_) return 0;
  return static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size_, size_ - start));
}

std::uint64_t FileContent::size() const {
  std::lock_guard lock(mutex_);
  return size_;
}

bool FileContent::dirty() const {
  std::lock_guard lock(mutex_);
  return changed_;
}

// Reading the chunk's stored bytes (disk cache or server) happens without mutex_, so readers,
// stat and the tree lock's holders do not wait for it; writers and truncates hold
// writing_, so nothing else can change this chunk meanwhile (the workers and prepare_commit
// touch only chunks written since the last commit, which this one is not).
Result<ChunkBytes*> FileContent::dirty_chunk(std::uint64_t index, std::unique_lock<std::mutex>& lock) {
  if (auto it = dirty_.find(index); it != dirty_.end()) {
    it->second.stamp = ++stamp_;
    return &it->second.data;
  }
  ChunkBytes data;
  if (auto flying = in_flight_.find(index); flying != in_flight_.end()) {
    data = *flying->second.data;
    in_flight_.erase(flying);  // the worker's result is stale now
  } else if (chunks_[index]) {
    const crypto::ChunkRef stored = *chunks_[index];
    const std::size_t length = covered(index);
    lock.unlock();
    auto base = services_.reader.read(key_, stored, length);
    lock.lock();
    if (!base) return std::move(base).error();
    data = **base;
  }
  data.resize(covered(index));
  auto& slot = dirty_[index];
  slot = Dirty{std::move(data), ++stamp_};
  return &slot.data;
}

// A write that covers a whole chunk (the common case of sequential writes) replaces it without
// reading the old one or zero-filling a buffer first.
void FileContent::replace_chunk(std::uint64_t index, ByteView bytes) {
  in_flight_.erase(index);  // a worker's result for the old bytes is stale now
  auto& slot = dirty_[index];
  slot.data.assign(bytes);
  slot.stamp = ++stamp_;
}

Status FileContent::resize_locked(std::uint64_t new_size, std::unique_lock<std::mutex>& lock) {
  const std::uint64_t old_size = size_;
  if (new_size == old_size) return {};
  // The chunk that ends the file changes length: it is rewritten, so every stored chunk keeps
  // exactly the length it covers.
  std::uint64_t edge = new_size > old_size ? old_size : new_size;
  bool partial_edge = edge % chunk_size_ != 0 && edge / chunk_size_ < chunks_.size();
  if (partial_edge) {
    auto buffer = dirty_chunk(edge / chunk_size_, lock);
    if (!buffer) return std::move(buffer).error();
  }
  std::uint64_t count = (new_size + chunk_size_ - 1) / chunk_size_;
  if (new_size < old_size) {
    dirty_.erase(dirty_.lower_bound(count), dirty_.end());
    in_flight_.erase(in_flight_.lower_bound(count), in_flight_.end());
  }
  chunks_.resize(count);
  size_ = new_size;
  if (partial_edge) {
    auto it = dirty_.find(edge / chunk_size_);
    if (it != dirty_.end()) it->second.data.resize(covered(edge / chunk_size_));
  }
  changed_ = true;
  return {};
}

Status FileContent::truncate(std::uint64_t new_size) {
  std::lock_guard writing(writing_);
  std::unique_lock lock(mutex_);
  return resize_locked(new_size, lock);
}

Status FileContent::write(std::uint64_t offset, ByteView data) {
  std::lock_guard writing(writing_);
  std::unique_lock lock(mutex_);
  if (spill_error_) {
    Error error = *spill_error_;
    spill_error_.reset();
    return error;
  }
  const std::uint64_t end = offset + data.size();
  if (end > size_) COFFER_TRY_STATUS(resize_locked(end, lock));
  for (std::uint64_t pos = offset; pos < end;) {
    std::uint64_t index = pos / chunk_size_;
    std::size_t in_chunk = static_cast<std::size_t>(pos % chunk_size_);
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size_ - in_chunk, end - pos));
    const ByteView piece = data.subspan(static_cast<std::size_t>(pos - offset), n);
    if (in_chunk == 0 && n == covered(index)) {
      replace_chunk(index, piece);
    } else {
      auto buffer = dirty_chunk(index, lock);
      if (!buffer) return std::move(buffer).error();
      std::memcpy((*buffer)->data() + in_chunk, piece.data(), n);
    }
    if (in_chunk + n == chunk_size_) spill_locked(index);
    pos += n;
  }
  changed_ = true;
  limit_memory_locked(lock);
  return {};
}

void FileContent::limit_memory_locked(std::unique_lock<std::mutex>& lock) {
  while (dirty_.size() > services_.max_dirty_chunks) {
    auto oldest = std::min_element(dirty_.begin(), dirty_.end(),
                                   [](const auto& a, const auto& b) { return a.second.stamp < b.second.stamp; });
    if (covered(oldest->first) != chunk_size_) break;
    spill_locked(oldest->first);
  }
  spilled_.wait(lock, [&] { return in_flight_.size() <= services_.max_in_flight; });
}

// Hands a full chunk to the encryption workers; reads see it in in_flight_ meanwhile.
void FileContent::spill_locked(std::uint64_t index) {
  auto it = dirty_.find(index);
  if (it == dirty_.end() || it->second.data.size() != chunk_size_) return;
  auto data = std::make_shared<const ChunkBytes>(std::move(it->second.data));
  std::uint64_t stamp = ++stamp_;
  dirty_.erase(it);
  in_flight_[index] = InFlight{data, stamp};
  services_.encryptors.post([self = shared_from_this(), index, stamp, data] {
    std::optional<crypto::EncryptedChunk> chunk;
    // Whatever happens, finish_spill runs: a flush or a writer waits for this chunk to leave
    // in_flight_, and a throw here would otherwise leave it waiting forever. The chunk's bytes
    // then go back to the dirty chunks, as after a failed write.
    Status written = log::barrier("encrypting a chunk", [&]() -> Status {
      chunk = encrypt_unless_zero(self->key_, *data);
      if (!chunk) return {};
      COFFER_TRY_STATUS(self->services_.journal.write_blob(chunk->id.hex(), chunk->stored, self->services_.durable_blobs));
      self->services_.reader.remember(chunk->id, data);
      return {};
    });
    self->finish_spill(index, stamp, chunk, written);
  });
}

void FileContent::finish_spill(std::uint64_t index, std::uint64_t stamp,
                               const std::optional<crypto::EncryptedChunk>& chunk, Status written) {
  std::lock_guard lock(mutex_);
  auto it = in_flight_.find(index);
  bool current = it != in_flight_.end() && it->second.stamp == stamp;
  if (!current) {
    if (written && chunk) services_.journal.remove_blob(chunk->id.hex());
  } else if (!written) {
    dirty_[index] = Dirty{*it->second.data, ++stamp_};
    spill_error_ = written.error();
    in_flight_.erase(it);
  } else {
    set_chunk_locked(index, chunk ? std::optional(chunk->ref()) : std::nullopt);
    if (chunk) fresh_blobs_.insert(chunk->id.hex());
    in_flight_.erase(it);
  }
  spilled_.notify_all();
}

// The blob file of the chunk replaced goes, unless an earlier commit still names it.
void FileContent::set_chunk_locked(std::uint64_t index, std::optional<crypto::ChunkRef> chunk) {
  if (chunks_[index] && fresh_blobs_.erase(chunks_[index]->id.hex()) > 0) {
    services_.journal.remove_blob(chunks_[index]->id.hex());
  }
  chunks_[index] = std::move(chunk);
}

void FileContent::prefetch_after_locked(std::uint64_t index) {
  std::vector<ChunkReader::Wanted> wanted;
  for (std::uint64_t i = index + 1; i < chunks_.size() && i <= index + services_.readahead; ++i) {
    if (chunks_[i] && !dirty_.contains(i) && !in_flight_.contains(i)) wanted.push_back({*chunks_[i], covered(i)});
  }
  if (!wanted.empty()) services_.reader.prefetch(key_, wanted);
}

Result<std::size_t> FileContent::read(std::uint64_t offset, std::span<std::uint8_t> out) {
  struct Fetch {
    std::size_t out_pos;
    std::size_t in_chunk;
    std::size_t length;
    crypto::ChunkRef chunk;
    std::size_t chunk_length;
  };
  std::vector<Fetch> fetches;
  std::size_t total = 0;
  {
    std::lock_guard lock(mutex_);
    if (offset >= size_) return std::size_t{0};
    total = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), size_ - offset));
    for (std::size_t done = 0; done < total;) {
      std::uint64_t index = (offset + done) / chunk_size_;
      std::size_t in_chunk = static_cast<std::size_t>((offset + done) % chunk_size_);
      std::size_t n = std::min<std::size_t>(chunk_size_ - in_chunk, total - done);
      const ChunkBytes* local = nullptr;
      if (auto d = dirty_.find(index); d != dirty_.end()) local = &d->second.data;
      else if (auto f = in_flight_.find(index); f != in_flight_.end()) local = f->second.data.get();
      if (local != nullptr) std::memcpy(out.data() + done, local->data() + in_chunk, n);
      else if (!chunks_[index]) std::memset(out.data() + done, 0, n);
      else fetches.push_back({done, in_chunk, n, *chunks_[index], covered(index)});
      done += n;
    }
    // The kernel's readahead sends neighbouring reads concurrently and slightly out of order.
    bool sequential = offset + chunk_size_ >= next_sequential_ && offset <= next_sequential_ + chunk_size_;
    if (sequential && total > 0) prefetch_after_locked((offset + total - 1) / chunk_size_);
    next_sequential_ = sequential ? std::max(next_sequential_, offset + total) : offset + total;
  }
  for (const auto& fetch : fetches) {
    auto plain = services_.reader.read(key_, fetch.chunk, fetch.chunk_length);
    if (!plain) return std::move(plain).error();
    std::memcpy(out.data() + fetch.out_pos, (*plain)->data() + fetch.in_chunk, fetch.length);
  }
  return total;
}

Status FileContent::store_locked(std::uint64_t index, const std::optional<crypto::EncryptedChunk>& chunk,
                                 bool inline_data, CommitContent& commit) {
  if (chunk && inline_data) {
    commit.inline_blobs.push_back({chunk->id.hex(), chunk->stored});
  } else if (chunk) {
    COFFER_TRY_STATUS(services_.journal.write_blob(chunk->id.hex(), chunk->stored, services_.durable_blobs));
  }
  set_chunk_locked(index, chunk ? std::optional(chunk->ref()) : std::nullopt);
  return {};
}

bool FileContent::holds_data_locked(std::uint64_t index) const {
  return chunks_[index] || dirty_.contains(index) || in_flight_.contains(index);
}

// The 4 KiB blocks holding data in stored chunks (from their manifest entries) and in chunks
// written since (dirty or being encrypted: counted in their plaintext, which stops at the first
// non-zero word of most blocks); holes and blocks of zeros occupy none.
std::uint64_t FileContent::stored_bytes_locked() const {
  std::uint64_t bytes = 0;
  for (const auto& [index, dirty] : dirty_) bytes += block_bytes(crypto::count_data_blocks(dirty.data));
  for (const auto& [index, flying] : in_flight_) {
    if (!dirty_.contains(index)) bytes += block_bytes(crypto::count_data_blocks(*flying.data));
  }
  for (std::uint64_t i = 0; i < chunks_.size(); ++i) {
    if (chunks_[i] && !dirty_.contains(i) && !in_flight_.contains(i)) bytes += block_bytes(chunks_[i]->data_blocks);
  }
  return bytes;
}

Result<std::uint64_t> FileContent::seek(std::uint64_t offset, SeekTarget target) const {
  std::lock_guard lock(mutex_);
  if (offset >= size_) return make_error(Errc::past_end, "the offset is at or past the end of the file");
  const bool want_data = target == SeekTarget::data;
  for (std::uint64_t index = offset / chunk_size_; index < chunks_.size(); ++index) {
    if (holds_data_locked(index) == want_data) return std::max(offset, index * chunk_size_);
  }
  if (want_data) return make_error(Errc::past_end, "no data after the offset");
  return size_;
}

std::uint64_t FileContent::stored_bytes() const {
  std::lock_guard lock(mutex_);
  return stored_bytes_locked();
}

Result<CommitContent> FileContent::prepare_commit(std::uint64_t inline_limit) {
  std::unique_lock lock(mutex_);
  spilled_.wait(lock, [&] { return in_flight_.empty(); });
  if (spill_error_) {
    Error error = *spill_error_;
    spill_error_.reset();
    return error;
  }
  const bool inline_data = size_ <= inline_limit;
  CommitContent commit{size_, chunk_size_, {}, {}, 0};
  std::vector<std::pair<std::uint64_t, std::optional<crypto::EncryptedChunk>>> sealed(dirty_.size());
  std::vector<std::function<Status()>> tasks;
  std::size_t k = 0;
  for (auto& [index, chunk] : dirty_) {
    tasks.push_back([this, &sealed, k, index = index, &data = chunk.data]() -> Status {
      sealed[k] = {index, encrypt_unless_zero(key_, data)};
      return {};
    });
    ++k;
  }
  COFFER_TRY_STATUS(services_.encryptors.run_all(std::move(tasks)));
  for (auto& [index, chunk] : sealed) {
    COFFER_TRY_STATUS(store_locked(index, chunk, inline_data, commit));
    if (chunk) services_.reader.remember(chunk->id, std::make_shared<const ChunkBytes>(std::move(dirty_[index].data)));
  }
  dirty_.clear();
  fresh_blobs_.clear();
  changed_ = false;
  commit.chunks = chunks_;
  commit.stored_bytes = stored_bytes_locked();
  return commit;
}

}  // namespace coffer::vfs
