#pragma once

// The plaintext serialization inside sealed manifests and attribute records, byte-exactly as
// in docs/crypto.md. Exposed for golden-vector tests and fuzzing; everyone else uses
// seal_* / open_*. Encoding is canonical: decode accepts exactly what encode produces, and
// fails with Errc::integrity on anything else.

#include "crypto/attributes.hpp"
#include "crypto/manifest.hpp"

namespace coffer::crypto {

inline constexpr std::uint8_t kManifestRecordKind = 'M';
inline constexpr std::uint8_t kAttributeRecordKind = 'A';
inline constexpr std::uint8_t kRecordFormatVersion = 1;

Bytes encode_manifest(const Manifest& manifest);
Result<Manifest> decode_manifest(ByteView plaintext);
Bytes encode_attribute_record(const AttributeRecord& record);
Result<AttributeRecord> decode_attribute_record(ByteView plaintext);

}  // namespace coffer::crypto
