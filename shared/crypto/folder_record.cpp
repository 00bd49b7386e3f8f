#include "crypto/folder_record.hpp"

#include <algorithm>
#include <stdexcept>

#include "crypto/attributes_codec.hpp"
#include "crypto/encoding.hpp"
#include "crypto/manifest.hpp"
#include "crypto/record_format.hpp"
#include "crypto/record_header.hpp"
#include "crypto/subkeys.hpp"

namespace coffer::crypto {
namespace {

constexpr std::string_view kCommitmentDomain = "coffer/v1/folder-set";

Error bad_folder_record(const char* defect) {
  return make_error(Errc::integrity, std::string("folder record: ") + defect);
}

std::uint8_t bucket_of(const FolderCommitment::Tag& tag) { return tag[0]; }

}  // namespace

void FolderCommitment::set(const Tag& tag, const Sha256Digest& entry_mac) {
  Bucket& bucket = buckets_[bucket_of(tag)];
  if (bucket.leaves.insert_or_assign(tag, entry_mac).second) ++size_;
  bucket.digest.reset();
}

void FolderCommitment::erase(const Tag& tag) {
  Bucket& bucket = buckets_[bucket_of(tag)];
  if (bucket.leaves.erase(tag) == 0) return;
  --size_;
  bucket.digest.reset();
}

std::optional<Sha256Digest> FolderCommitment::find(const Tag& tag) const {
  const Bucket& bucket = buckets_[bucket_of(tag)];
  const auto found = bucket.leaves.find(tag);
  if (found == bucket.leaves.end()) return std::nullopt;
  return found->second;
}

std::uint64_t FolderCommitment::size() const noexcept { return size_; }

Sha256Digest FolderCommitment::digest() const {
  ByteWriter out;
  out.raw(as_bytes(kCommitmentDomain));
  out.u64(size_);
  for (const Bucket& bucket : buckets_) {
    if (!bucket.digest) {
      // std::map orders tags as unsigned bytes, the order docs/crypto.md fixes.
      ByteWriter leaves;
      for (const auto& [tag, mac] : bucket.leaves) {
        leaves.raw(tag);
        leaves.raw(mac);
      }
      bucket.digest = sha256(leaves.take());
    }
    out.raw(*bucket.digest);
  }
  return sha256(out.take());
}

Result<FolderCommitment::Tag> FolderCommitment::tag_from_hex(std::string_view hex) {
  auto raw = hex_decode(hex);
  Tag tag;
  if (!raw || raw->size() != tag.size()) return make_error(Errc::invalid_argument, "a name tag is 64 hex characters");
  std::copy(raw->begin(), raw->end(), tag.begin());
  return tag;
}

Bytes encode_folder_record(const FolderRecord& record) {
  ByteWriter out;
  write_record_header(out, kFolderRecordKind);
  write_node_id(out, record.node_id);
  out.u64(record.revision);
  out.u64(record.entry_count);
  out.raw(record.commitment);
  return out.take();
}

Result<FolderRecord> decode_folder_record(ByteView plaintext) {
  ByteReader in(plaintext);
  if (const char* defect = record_header_defect(in, kFolderRecordKind)) return bad_folder_record(defect);
  FolderRecord record;
  record.node_id = read_node_id(in);
  record.revision = in.u64();
  record.entry_count = in.u64();
  const ByteView commitment = in.raw(record.commitment.size());
  if (!in.finished()) return bad_folder_record("malformed or trailing bytes");
  std::copy(commitment.begin(), commitment.end(), record.commitment.begin());
  return record;
}

Bytes seal_folder_record(const FernetKey& folder_key, const FolderRecord& record) {
  if (record.node_id.empty() || record.node_id.size() > kMaxNodeIdSize) {
    throw std::invalid_argument("folder record: node id must be 1 to 255 bytes");
  }
  return fernet_encrypt_raw(derive_subkey(folder_key, KeyPurpose::folder), encode_folder_record(record));
}

Result<FolderRecord> open_folder_record(const FernetKey& folder_key, std::string_view expected_node_id,
                                        ByteView sealed) {
  auto plaintext = fernet_decrypt_raw(derive_subkey(folder_key, KeyPurpose::folder), sealed);
  if (!plaintext) return bad_folder_record("does not verify under the folder key");
  auto record = decode_folder_record(*plaintext);
  if (!record) return std::move(record).error();
  if (record->node_id != expected_node_id) return bad_folder_record("belongs to another folder");
  return record;
}

}  // namespace coffer::crypto
