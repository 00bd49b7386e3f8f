#pragma once

#include <string_view>

#include "crypto/fernet.hpp"

namespace coffer::crypto {

// One node key protects several kinds of token (content chunks, names, wrapped child keys,
// sealed entries, manifests, attribute records, folder records). Each kind other than chunks uses its own subkey, so that a
// token of one kind can never be opened as another: without this, a server could offer a
// chunk whose plaintext a user chose as a manifest, or a 32-byte name as a wrapped key.
//   subkey = HKDF-SHA256(key's 32 raw bytes, salt empty, info "coffer/v1/" + purpose, 32)
enum class KeyPurpose {
  name_encryption,  // "coffer/v1/name-token": encrypted entry names
  name_tag,         // "coffer/v1/name": the HMAC key of name tags
  key_wrapping,     // "coffer/v1/wrap": child keys wrapped under a folder (or master) key
  manifest,         // "coffer/v1/manifest": sealed manifests
  attributes,       // "coffer/v1/attributes": sealed attribute records
  entry,            // "coffer/v1/entry": a directory entry's sealed key, under the parent folder's key
  folder,           // "coffer/v1/folder": sealed folder records
  link_label,       // "coffer/v1/link-label": a share link's label (the path), under the master key
};

std::string_view hkdf_info(KeyPurpose purpose);
FernetKey derive_subkey(const FernetKey& key, KeyPurpose purpose);

}  // namespace coffer::crypto
