#pragma once

// The plaintext serialization inside sealed records, byte-exactly as
// in docs/crypto.md. Exposed for golden-vector tests and fuzzing; everyone else uses
// seal_* / open_*. Encoding is canonical: decode accepts exactly what encode produces, and
// fails with Errc::integrity on anything else.

#include "crypto/attributes.hpp"
#include "crypto/entry_seal.hpp"
#include "crypto/folder_record.hpp"
#include "crypto/manifest.hpp"

namespace coffer::crypto {

inline constexpr std::uint8_t kManifestRecordKind = 'M';
inline constexpr std::uint8_t kAttributeRecordKind = 'A';
inline constexpr std::uint8_t kEntryRecordKind = 'E';
inline constexpr std::uint8_t kFolderRecordKind = 'F';
// Sealed grants (crypto/grant_seal.hpp) started at version 2, with the other records.
inline constexpr std::uint8_t kGrantRecordKind = 'G';
// Attribute records, sealed entries and folder records are at version 2, manifests at version 3
// (each stored chunk's data blocks); older versions are refused (crypto/record_header.hpp).
inline constexpr std::uint8_t kRecordFormatVersion = 2;
inline constexpr std::uint8_t kManifestFormatVersion = 3;

Bytes encode_manifest(const Manifest& manifest);
Result<Manifest> decode_manifest(ByteView plaintext);
Bytes encode_attribute_record(const AttributeRecord& record);
Result<AttributeRecord> decode_attribute_record(ByteView plaintext);
// The entry record carries the node key, so its plaintext is wiped when freed.
struct EntryKeyRecord {
  EntryBinding binding;
  FernetKey node_key;
};
SecureBytes encode_entry_record(const EntryBinding& binding, const FernetKey& node_key);
Result<EntryKeyRecord> decode_entry_record(ByteView plaintext);
Bytes encode_folder_record(const FolderRecord& record);
Result<FolderRecord> decode_folder_record(ByteView plaintext);

}  // namespace coffer::crypto
