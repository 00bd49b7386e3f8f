#include "crypto/attributes.hpp"

#include <stdexcept>

#include "crypto/attributes_codec.hpp"
#include "crypto/record_format.hpp"
#include "crypto/record_header.hpp"
#include "crypto/subkeys.hpp"

namespace coffer::crypto {
namespace {

Error bad_record(const char* defect) {
  return make_error(Errc::integrity, std::string("attribute record: ") + defect);
}

void require_sealable(const AttributeRecord& record) {
  if (record.node_id.empty() || record.node_id.size() > kMaxNodeIdSize) {
    throw std::invalid_argument("attribute record: node id must be 1 to 255 bytes");
  }
  auto checked = check_attributes(record.attributes);
  if (!checked) throw std::invalid_argument("attribute record: " + checked.error().message);
}

}  // namespace

Bytes encode_attribute_record(const AttributeRecord& record) {
  ByteWriter out;
  write_record_header(out, kAttributeRecordKind);
  write_node_id(out, record.node_id);
  out.u64(record.revision);
  write_attributes(out, record.attributes);
  return out.take();
}

Result<AttributeRecord> decode_attribute_record(ByteView plaintext) {
  ByteReader in(plaintext);
  if (const char* defect = record_header_defect(in, kAttributeRecordKind)) return bad_record(defect);
  AttributeRecord record;
  record.node_id = read_node_id(in);
  record.revision = in.u64();
  read_attributes(in, record.attributes);
  if (!in.finished()) return bad_record("malformed or trailing bytes");
  return record;
}

Bytes seal_attribute_record(const FernetKey& node_key, const AttributeRecord& record) {
  require_sealable(record);
  return fernet_encrypt_raw(derive_subkey(node_key, KeyPurpose::attributes), encode_attribute_record(record));
}

Result<AttributeRecord> open_attribute_record(const FernetKey& node_key, std::string_view expected_node_id,
                                              ByteView sealed) {
  auto plaintext = fernet_decrypt_raw(derive_subkey(node_key, KeyPurpose::attributes), sealed);
  if (!plaintext) return bad_record("does not verify under the node key");
  auto record = decode_attribute_record(*plaintext);
  if (!record) return std::move(record).error();
  if (record->node_id != expected_node_id) return bad_record("belongs to another node");
  return record;
}

}  // namespace coffer::crypto
