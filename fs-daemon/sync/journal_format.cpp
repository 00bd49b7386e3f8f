#include "sync/journal_format.hpp"

#include <algorithm>
#include <string_view>

#include "crypto/hash.hpp"

namespace coffer::sync {
namespace {

constexpr std::string_view kLogMagic = "COFJRNL";
constexpr std::string_view kRecordMagic = "JREC";
constexpr std::size_t kCheckedBytes = 16;

void put_le(Bytes& out, std::uint64_t value, int size) {
  for (int i = 0; i < size; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

std::uint64_t get_le(const std::uint8_t* at, int size) {
  std::uint64_t value = 0;
  for (int i = size; i-- > 0;) value = value << 8 | at[i];
  return value;
}

std::string_view as_text(ByteView bytes) { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }

bool check_matches(const std::uint8_t* header) {
  auto digest = crypto::sha256(ByteView(header, kCheckedBytes));
  return std::equal(digest.begin(), digest.begin() + 4, header + kCheckedBytes);
}

struct RecordHeader {
  std::uint64_t seq = 0;
  std::size_t length = 0;
};

// The header at `at` when its magic and check hold (its token may still run past the end).
std::optional<RecordHeader> header_at(ByteView log, std::size_t at) {
  if (log.size() - at < kRecordHeaderSize) return std::nullopt;
  const std::uint8_t* header = log.data() + at;
  if (as_text(ByteView(header, 4)) != kRecordMagic || !check_matches(header)) return std::nullopt;
  return RecordHeader{get_le(header + 4, 8), static_cast<std::size_t>(get_le(header + 12, 4))};
}

std::optional<JournalOp> open_record(const crypto::FernetKey& key, const RecordHeader& header, ByteView token) {
  auto plain = crypto::fernet_decrypt_raw(key, token);
  if (!plain) return std::nullopt;
  auto op = decode_op(to_string(*plain));
  secure_zero(plain->data(), plain->size());
  // A header naming another seq than its token is a record spliced from elsewhere.
  if (!op || op->seq != header.seq) return std::nullopt;
  return std::move(op).value();
}

std::size_t next_magic(ByteView log, std::size_t from) {
  auto found = as_text(log).find(kRecordMagic, from);
  return found == std::string_view::npos ? log.size() : found;
}

}  // namespace

Bytes log_header() {
  Bytes header(kLogMagic.begin(), kLogMagic.end());
  header.push_back(kJournalFormat);
  return header;
}

std::optional<std::string> log_header_problem(ByteView log) {
  if (log.size() < kLogHeaderSize || as_text(log.first(kLogMagic.size())) != kLogMagic) {
    return "it is a journal of format 1 (before record headers), which this coffer no longer reads";
  }
  if (log[kLogMagic.size()] != kJournalFormat) {
    return "its journal format " + std::to_string(log[kLogMagic.size()]) + " is not one this coffer reads";
  }
  return std::nullopt;
}

Bytes encode_record(std::uint64_t seq, ByteView token) {
  Bytes record(kRecordMagic.begin(), kRecordMagic.end());
  record.reserve(kRecordHeaderSize + token.size());
  put_le(record, seq, 8);
  put_le(record, token.size(), 4);
  auto digest = crypto::sha256(ByteView(record.data(), kCheckedBytes));
  record.insert(record.end(), digest.begin(), digest.begin() + 4);
  record.insert(record.end(), token.begin(), token.end());
  return record;
}

// Record by record; where one does not open, the next offset holding the magic is tried, so a
// damaged record (or a damaged header, whose length cannot be trusted) costs only itself.
LogScan scan_log(ByteView log, const crypto::FernetKey& key) {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  LogScan scan;
  std::size_t bad_from = kNone;  // where the unreadable run being crossed began
  std::optional<std::uint64_t> bad_seq;
  std::size_t at = kLogHeaderSize;
  while (at < log.size()) {
    auto header = header_at(log, at);
    if (header && header->length <= log.size() - at - kRecordHeaderSize) {
      ++scan.whole_records;
      auto op = open_record(key, *header, log.subspan(at + kRecordHeaderSize, header->length));
      if (op) {
        if (bad_from != kNone) scan.damaged.push_back({bad_from, at - bad_from, bad_seq});
        bad_from = kNone;
        scan.ops.push_back(std::move(*op));
        at += kRecordHeaderSize + header->length;
        continue;
      }
    }
    if (bad_from == kNone) {
      bad_from = at;
      bad_seq = header ? std::optional(header->seq) : std::nullopt;
    }
    at = next_magic(log, at + 1);
  }
  if (bad_from != kNone) scan.tail = LogSpan{bad_from, log.size() - bad_from, bad_seq};
  return scan;
}

}  // namespace coffer::sync
