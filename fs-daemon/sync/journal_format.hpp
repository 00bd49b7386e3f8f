#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "sync/journal_op.hpp"

// The byte layout of ops.log, journal format 2 (docs/client.md, "Journal"):
//   file header   "COFJRNL" then the format version byte (0x02)
//   each record   0  4  magic "JREC"
//                 4  8  seq, u64 little-endian (the seq the token's op carries)
//                12  4  token length n, u32 little-endian
//                16  4  the first 4 bytes of SHA-256 over bytes 0..15
//                20  n  raw Fernet token of one JournalOp under the journal key
// The header check tells a record's start from damaged bytes, so a reader resumes at the next
// record after a damaged one; the token's MAC is what proves a record.
namespace coffer::sync {

inline constexpr std::uint8_t kJournalFormat = 2;
inline constexpr std::size_t kLogHeaderSize = 8;
inline constexpr std::size_t kRecordHeaderSize = 20;

Bytes log_header();
// Why a log cannot be read at all (another format), or nullopt for the current format.
std::optional<std::string> log_header_problem(ByteView log);
Bytes encode_record(std::uint64_t seq, ByteView token);

// A run of bytes the reader could not use. `seq` is known when a record header there checks.
struct LogSpan {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::optional<std::uint64_t> seq;
};

struct LogScan {
  std::vector<JournalOp> ops;     // every record that opened, in file order
  std::vector<LogSpan> damaged;   // unreadable bytes with a record that opens after them
  std::optional<LogSpan> tail;    // unreadable bytes up to the end: a torn write, to be cut
  std::size_t whole_records = 0;  // records whose header checks and that fit, opened or not
};

// Reads every record of a log whose header log_header_problem() accepted.
LogScan scan_log(ByteView log, const crypto::FernetKey& key);

}  // namespace coffer::sync
