#include "crypto/entry_seal.hpp"

#include <stdexcept>

#include "crypto/attributes_codec.hpp"
#include "crypto/encoding.hpp"
#include "crypto/manifest.hpp"
#include "crypto/record_format.hpp"
#include "crypto/record_header.hpp"
#include "crypto/subkeys.hpp"

namespace coffer::crypto {
namespace {

constexpr std::size_t kNameTagSize = 32;
constexpr std::size_t kMacSize = 32;

Error bad_entry(const char* defect) { return make_error(Errc::integrity, std::string("sealed entry: ") + defect); }

bool valid_id(const std::string& id) { return !id.empty() && id.size() <= kMaxNodeIdSize; }

Bytes raw_name_tag(const std::string& hex) {
  auto raw = hex_decode(hex);
  if (!raw || raw->size() != kNameTagSize) throw std::invalid_argument("sealed entry: a name tag is 64 hex characters");
  return std::move(*raw);
}

void require_sealable(const EntryBinding& binding) {
  if (!valid_id(binding.parent_id) || !valid_id(binding.node_id)) {
    throw std::invalid_argument("sealed entry: ids must be 1 to 255 bytes");
  }
}

}  // namespace

SecureBytes encode_entry_record(const EntryBinding& binding, const FernetKey& node_key) {
  ByteWriter out;
  write_record_header(out, kEntryRecordKind);
  write_node_id(out, binding.parent_id);
  write_node_id(out, binding.node_id);
  out.raw(raw_name_tag(binding.name_tag));
  const Bytes fields = out.take();
  // The key goes straight into wiped memory; the fields before it are not secret.
  SecureBytes plaintext(fields.begin(), fields.end());
  plaintext.insert(plaintext.end(), node_key.raw().begin(), node_key.raw().end());
  return plaintext;
}

Result<EntryKeyRecord> decode_entry_record(ByteView plaintext) {
  ByteReader in(plaintext);
  if (const char* defect = record_header_defect(in, kEntryRecordKind)) return bad_entry(defect);
  EntryBinding binding;
  binding.parent_id = read_node_id(in);
  binding.node_id = read_node_id(in);
  binding.name_tag = hex_encode(in.raw(kNameTagSize));
  const ByteView key_bytes = in.raw(FernetKey::kSize);
  if (!in.finished()) return bad_entry("malformed or trailing bytes");
  return EntryKeyRecord{std::move(binding), FernetKey::from_raw(key_bytes).value()};
}

Bytes seal_entry_key(const FernetKey& parent_key, const EntryBinding& binding, const FernetKey& node_key) {
  require_sealable(binding);
  return fernet_encrypt_raw(derive_subkey(parent_key, KeyPurpose::entry), encode_entry_record(binding, node_key));
}

Result<FernetKey> open_entry_key(const FernetKey& parent_key, const EntryBinding& expected, ByteView sealed) {
  auto plaintext = fernet_decrypt_secret(derive_subkey(parent_key, KeyPurpose::entry), sealed);
  if (!plaintext) return bad_entry("does not verify under the parent folder's key");
  auto record = decode_entry_record(*plaintext);
  if (!record) return std::move(record).error();
  if (record->binding.parent_id != expected.parent_id) return bad_entry("belongs to another folder");
  if (record->binding.node_id != expected.node_id) return bad_entry("points at another node");
  if (record->binding.name_tag != expected.name_tag) return bad_entry("belongs to another name");
  return std::move(record->node_key);
}

Result<Sha256Digest> token_mac(ByteView raw_token) {
  if (raw_token.size() < kFernetMinRawSize) return make_error(Errc::integrity, "token too short to carry a MAC");
  Sha256Digest mac;
  const ByteView last = raw_token.last(kMacSize);
  std::copy(last.begin(), last.end(), mac.begin());
  return mac;
}

}  // namespace coffer::crypto
