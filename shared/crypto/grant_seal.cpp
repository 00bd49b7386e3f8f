#include "crypto/grant_seal.hpp"

#include <stdexcept>

#include "crypto/attributes_codec.hpp"
#include "crypto/hash.hpp"
#include "crypto/record_format.hpp"
#include "crypto/record_header.hpp"
#include "crypto/x25519.hpp"

namespace coffer::crypto {
namespace {

constexpr std::size_t kPublicKeySize = 32;
constexpr std::size_t kMaxUserNameSize = 64;
constexpr std::uint8_t kFolderFlag = 0x01;

Error bad_grant(const std::string& defect) { return make_error(Errc::integrity, "sealed grant: " + defect); }

void write_text(ByteWriter& out, std::string_view text) {
  out.u16(static_cast<std::uint16_t>(text.size()));
  out.raw(as_bytes(text));
}

std::string read_text(ByteReader& in, std::size_t max_size) {
  const std::uint16_t size = in.u16();
  if (size == 0 || size > max_size) in.fail();
  return in.text(size);
}

void require_sealable(const GrantPayload& payload) {
  const auto user_ok = [](const std::string& name) { return !name.empty() && name.size() <= kMaxUserNameSize; };
  if (payload.node_id.empty() || payload.node_id.size() > kMaxNodeIdSize || !user_ok(payload.owner) ||
      !user_ok(payload.grantee) || !is_valid_name(payload.name)) {
    throw std::invalid_argument("sealed grant: a node id, two user names and a valid name are needed");
  }
}

SecureBytes encode_grant(const GrantPayload& payload) {
  ByteWriter out;
  write_record_header(out, kGrantRecordKind);
  write_node_id(out, payload.node_id);
  write_text(out, payload.owner);
  write_text(out, payload.grantee);
  write_text(out, payload.name);
  out.u8(payload.is_folder ? kFolderFlag : 0);
  const Bytes fields = out.take();
  SecureBytes plaintext(fields.begin(), fields.end());
  plaintext.insert(plaintext.end(), payload.key.raw().begin(), payload.key.raw().end());
  return plaintext;
}

Result<GrantPayload> decode_grant(ByteView plaintext) {
  ByteReader in(plaintext);
  if (const char* defect = record_header_defect(in, kGrantRecordKind)) return bad_grant(defect);
  std::string node_id = read_node_id(in);
  std::string owner = read_text(in, kMaxUserNameSize);
  std::string grantee = read_text(in, kMaxUserNameSize);
  std::string name = read_text(in, kMaxNameSize);
  const std::uint8_t flags = in.u8();
  const ByteView key_bytes = in.raw(FernetKey::kSize);
  if (!in.finished() || (flags & ~kFolderFlag) != 0) return bad_grant("malformed or trailing bytes");
  if (!is_valid_name(name)) return bad_grant("not a valid name");
  return GrantPayload{std::move(node_id), std::move(owner),         std::move(grantee),
                      std::move(name),    (flags & kFolderFlag) != 0, FernetKey::from_raw(key_bytes).value()};
}

// ikm = X25519(ephemeral, grantee) || X25519(granter, grantee), salt = eph_pub || granter_pub ||
// grantee_pub: the static agreement authenticates the granter, the ephemeral one keeps each
// grant's key fresh, and the salt ties the key to these three public keys. Each side computes
// both agreements with its own private keys.
Result<FernetKey> grant_wrapping_key(ByteView eph_private, ByteView eph_peer, ByteView static_private,
                                     ByteView static_peer, ByteView eph_public, ByteView granter_public,
                                     ByteView grantee_public) {
  auto ephemeral = x25519_shared_secret(eph_private, eph_peer);
  if (!ephemeral) return std::move(ephemeral).error();
  auto identity = x25519_shared_secret(static_private, static_peer);
  if (!identity) return std::move(identity).error();
  SecureBytes ikm(ephemeral->begin(), ephemeral->end());
  ikm.insert(ikm.end(), identity->begin(), identity->end());
  Bytes salt(eph_public.begin(), eph_public.end());
  salt.insert(salt.end(), granter_public.begin(), granter_public.end());
  salt.insert(salt.end(), grantee_public.begin(), grantee_public.end());
  return FernetKey::from_raw(hkdf_sha256(ikm, "coffer/v1/grant", FernetKey::kSize, salt));
}

}  // namespace

Result<Bytes> seal_grant(const X25519KeyPair& granter, ByteView grantee_public_key, const GrantPayload& payload) {
  require_sealable(payload);
  if (grantee_public_key.size() != kPublicKeySize) {
    return make_error(Errc::invalid_argument, "a public key is 32 bytes");
  }
  const X25519KeyPair ephemeral = X25519KeyPair::generate();
  auto wrapping = grant_wrapping_key(ephemeral.private_key, grantee_public_key, granter.private_key, grantee_public_key,
                                     ephemeral.public_key, granter.public_key, grantee_public_key);
  if (!wrapping) return std::move(wrapping).error();
  Bytes sealed(ephemeral.public_key.begin(), ephemeral.public_key.end());
  const Bytes token = fernet_encrypt_raw(*wrapping, encode_grant(payload));
  sealed.insert(sealed.end(), token.begin(), token.end());
  return sealed;
}

Result<GrantPayload> open_grant(const X25519KeyPair& grantee, ByteView granter_public_key, ByteView sealed,
                                std::string_view expected_node_id, std::string_view expected_grantee) {
  if (sealed.size() < kPublicKeySize + kFernetMinRawSize) return bad_grant("too short");
  if (granter_public_key.size() != kPublicKeySize) return bad_grant("the granter's public key is not 32 bytes");
  const ByteView eph_public = sealed.first(kPublicKeySize);
  auto wrapping = grant_wrapping_key(grantee.private_key, eph_public, grantee.private_key, granter_public_key,
                                     eph_public, granter_public_key, grantee.public_key);
  if (!wrapping) return bad_grant("an invalid public key");
  auto plaintext = fernet_decrypt_secret(*wrapping, sealed.subspan(kPublicKeySize));
  if (!plaintext) return bad_grant("does not verify between these two users' keys");
  auto payload = decode_grant(*plaintext);
  if (!payload) return std::move(payload).error();
  if (payload->node_id != expected_node_id) return bad_grant("made for another node");
  if (payload->grantee != expected_grantee) return bad_grant("made for another user");
  return payload;
}

}  // namespace coffer::crypto
