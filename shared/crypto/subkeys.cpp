#include "crypto/subkeys.hpp"

#include "crypto/hash.hpp"

namespace coffer::crypto {

std::string_view hkdf_info(KeyPurpose purpose) {
  switch (purpose) {
    case KeyPurpose::name_encryption: return "coffer/v1/name-token";
    case KeyPurpose::name_tag: return "coffer/v1/name";
    case KeyPurpose::key_wrapping: return "coffer/v1/wrap";
    case KeyPurpose::manifest: return "coffer/v1/manifest";
    case KeyPurpose::attributes: return "coffer/v1/attributes";
    case KeyPurpose::entry: return "coffer/v1/entry";
    case KeyPurpose::folder: return "coffer/v1/folder";
    case KeyPurpose::link_label: return "coffer/v1/link-label";
  }
  return "coffer/v1/invalid";
}

FernetKey derive_subkey(const FernetKey& key, KeyPurpose purpose) {
  const SecureBytes raw = hkdf_sha256(key.raw(), hkdf_info(purpose), FernetKey::kSize);
  return FernetKey::from_raw(raw).value();
}

}  // namespace coffer::crypto
