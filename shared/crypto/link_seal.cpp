#include "crypto/link_seal.hpp"

#include <stdexcept>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/subkeys.hpp"

namespace coffer::crypto {
namespace {

constexpr std::uint8_t kFormat = 0x01;
constexpr std::size_t kNodeIdBytes = 16;
constexpr std::size_t kPlaintextSize = 2 + kNodeIdBytes + FernetKey::kSize;
constexpr std::string_view kSealInfo = "coffer link seal v1";

Error bad_link(const std::string& defect) { return make_error(Errc::integrity, "link key: " + defect); }

std::uint8_t kind_byte(LinkKind kind) { return kind == LinkKind::folder ? 'D' : 'F'; }

}  // namespace

const char* link_kind_name(LinkKind kind) noexcept { return kind == LinkKind::folder ? "folder" : "file"; }

std::optional<LinkKind> link_kind_from_name(std::string_view name) noexcept {
  if (name == "file") return LinkKind::file;
  if (name == "folder") return LinkKind::folder;
  return std::nullopt;
}

Result<SecureBytes> link_ikm(ByteView secret, const std::optional<std::string>& password, const KdfParams& params) {
  if (secret.size() != kLinkSecretSize) return make_error(Errc::invalid_argument, "a link secret is 32 bytes");
  SecureBytes ikm(secret.begin(), secret.end());
  if (!password) return ikm;
  auto stretched = password_secret(*password, params);
  if (!stretched) return std::move(stretched).error();
  ikm.insert(ikm.end(), stretched->begin(), stretched->end());
  return ikm;
}

FernetKey link_seal_key(ByteView ikm, ByteView link_id) {
  std::string info(kSealInfo);
  info += to_string(link_id);
  return FernetKey::from_raw(hkdf_sha256(ikm, info, FernetKey::kSize)).value();
}

Bytes seal_link_key(const FernetKey& seal_key, const LinkTarget& target) {
  auto node_id = hex_decode(target.node_id);
  if (!node_id || node_id->size() != kNodeIdBytes) {
    throw std::invalid_argument("link key: a node id is 32 hex characters");
  }
  SecureBytes plaintext;
  plaintext.reserve(kPlaintextSize);
  plaintext.push_back(kFormat);
  plaintext.push_back(kind_byte(target.kind));
  plaintext.insert(plaintext.end(), node_id->begin(), node_id->end());
  plaintext.insert(plaintext.end(), target.key.raw().begin(), target.key.raw().end());
  return fernet_encrypt_raw(seal_key, plaintext);
}

Result<LinkTarget> open_link_key(const FernetKey& seal_key, ByteView sealed, LinkKind expected_kind,
                                 std::string_view expected_node_id) {
  auto plaintext = fernet_decrypt_secret(seal_key, sealed);
  if (!plaintext) return bad_link("does not open with this URL (and password)");
  const ByteView bytes(plaintext->data(), plaintext->size());
  if (bytes.size() != kPlaintextSize || bytes[0] != kFormat) return bad_link("unknown format");
  if (bytes[1] != 'F' && bytes[1] != 'D') return bad_link("unknown kind");
  const LinkKind kind = bytes[1] == 'D' ? LinkKind::folder : LinkKind::file;
  std::string node_id = hex_encode(bytes.subspan(2, kNodeIdBytes));
  if (kind != expected_kind) return bad_link("made for another kind of node than the server says");
  if (node_id != expected_node_id) return bad_link("made for another node than the server says");
  return LinkTarget{kind, std::move(node_id), FernetKey::from_raw(bytes.subspan(2 + kNodeIdBytes)).value()};
}

Bytes seal_link_label(const FernetKey& master_key, std::string_view path) {
  return fernet_encrypt_raw(derive_subkey(master_key, KeyPurpose::link_label), as_bytes(path));
}

Result<std::string> open_link_label(const FernetKey& master_key, ByteView label) {
  auto plaintext = fernet_decrypt_raw(derive_subkey(master_key, KeyPurpose::link_label), label);
  if (!plaintext) return make_error(Errc::integrity, "link label: does not open with this account's key");
  return to_string(*plaintext);
}

std::string link_url(std::string_view base_url, ByteView link_id, ByteView secret) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  return std::string(base_url) + "/l/" + base64url_encode(link_id) + "#" + base64url_encode(secret);
}

}  // namespace coffer::crypto
