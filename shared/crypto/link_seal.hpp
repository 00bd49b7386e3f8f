#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "crypto/kdf.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

// Share links for people without an account (docs/crypto.md "Links"): the URL
// `{base}/l/{link_id}#{secret}` carries a secret the server never sees; the server keeps the
// node's key sealed under a key derived from that secret (and from a password, if the link
// has one), so only someone holding the URL (and the password) opens it.
inline constexpr std::size_t kLinkIdSize = 16;
inline constexpr std::size_t kLinkSecretSize = 32;
inline constexpr std::size_t kLinkPasswordSaltSize = 16;

enum class LinkKind { file, folder };

const char* link_kind_name(LinkKind kind) noexcept;  // "file" or "folder", as the API spells it
std::optional<LinkKind> link_kind_from_name(std::string_view name) noexcept;

// What a sealed link key holds: the linked node and its key.
struct LinkTarget {
  LinkKind kind = LinkKind::file;
  std::string node_id;  // 32 lowercase hex characters
  FernetKey key;        // the node key
};

// ikm = secret, or secret || scrypt(password, params) with a password (params.salt is the
// link's own salt). Errc::invalid_argument for a secret that is not 32 bytes or parameters
// KdfParams::validate refuses.
Result<SecureBytes> link_ikm(ByteView secret, const std::optional<std::string>& password, const KdfParams& params);

// HKDF-SHA256(ikm, salt empty, info "coffer link seal v1" || link_id bytes), a Fernet key.
FernetKey link_seal_key(ByteView ikm, ByteView link_id);

// Fernet raw token over 0x01 || 'F' or 'D' || node id (16 bytes) || node key (32 bytes).
// A node id that is not 32 hex characters is a caller bug (std::invalid_argument).
Bytes seal_link_key(const FernetKey& seal_key, const LinkTarget& target);

// Errc::integrity when the token does not verify under this key (a wrong URL or password),
// is malformed, or names another kind or node than the server says.
Result<LinkTarget> open_link_key(const FernetKey& seal_key, ByteView sealed, LinkKind expected_kind,
                                 std::string_view expected_node_id);

// The label the server keeps for `coffer link list`: a raw token of the path under
// subkey(master key, link_label). open_link_label: Errc::integrity when it does not open.
Bytes seal_link_label(const FernetKey& master_key, std::string_view path);
Result<std::string> open_link_label(const FernetKey& master_key, ByteView label);

// `{base}/l/{base64url(link_id)}#{base64url(secret)}`, a trailing '/' of base dropped.
std::string link_url(std::string_view base_url, ByteView link_id, ByteView secret);

}  // namespace coffer::crypto
