// Share links (docs/crypto.md "Links") against the vectors Python's `cryptography` wrote from
// that section (tests/web/make_vectors.py -> tests/web/vectors.json, the same file the browser
// module's tests read): the C++ side derives the same bytes and opens what Python sealed.

#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "crypto/encoding.hpp"
#include "crypto/link_seal.hpp"
#include "crypto/subkeys.hpp"
#include "crypto_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

const nlohmann::json& vectors() {
  static const nlohmann::json links = [] {
    std::ifstream in(COFFER_WEB_VECTORS);
    if (!in) throw std::runtime_error("cannot read " COFFER_WEB_VECTORS);
    return nlohmann::json::parse(in).at("links");
  }();
  return links;
}

Bytes from_b64(const nlohmann::json& text) { return base64url_decode(text.get<std::string>()).value(); }

KdfParams params_of(const nlohmann::json& password_object) {
  KdfParams params;
  const auto& kdf = password_object.at("kdf");
  params.algorithm = kdf.at("algorithm").get<std::string>();
  params.n = kdf.at("n").get<std::uint64_t>();
  params.r = kdf.at("r").get<std::uint32_t>();
  params.p = kdf.at("p").get<std::uint32_t>();
  params.salt = from_b64(password_object.at("salt"));
  return params;
}

SecureBytes ikm_of(const nlohmann::json& link, std::optional<std::string> password) {
  const KdfParams params = link.at("password_object").is_null() ? KdfParams{} : params_of(link.at("password_object"));
  return link_ikm(from_b64(link.at("secret")), password, params).value();
}

std::optional<std::string> password_of(const nlohmann::json& link) {
  if (link.at("password").is_null()) return std::nullopt;
  return link.at("password").get<std::string>();
}

LinkKind kind_of(const nlohmann::json& link) { return link_kind_from_name(link.at("kind").get<std::string>()).value(); }

}  // namespace

TEST_CASE("links: ikm, seal key and URL are the bytes Python made; Python's sealed keys open") {
  for (const auto& link : vectors().at("links")) {
    CAPTURE(link.at("kind").get<std::string>());
    const SecureBytes ikm = ikm_of(link, password_of(link));
    CHECK(hex_encode(ikm) == link.at("ikm").get<std::string>());
    const Bytes link_id = from_b64(link.at("link_id"));
    const FernetKey seal_key = link_seal_key(ikm, link_id);
    CHECK(hex_encode(seal_key.raw()) == link.at("seal_key").get<std::string>());
    CHECK(link_url(link.at("base_url").get<std::string>(), link_id, from_b64(link.at("secret"))) ==
          link.at("url").get<std::string>());
    const std::string node_id = link.at("node_id").get<std::string>();
    auto opened = open_link_key(seal_key, from_b64(link.at("sealed_key")), kind_of(link), node_id);
    REQUIRE(opened);
    CHECK(opened->node_id == node_id);
    CHECK(opened->key.to_base64() == link.at("node_key").get<std::string>());
    // A C++ seal opens back, and its plaintext is Python's: the token's size is a 50-byte one's.
    const Bytes resealed = seal_link_key(seal_key, *opened);
    CHECK(resealed.size() == fernet_raw_size(50));
    auto reopened = open_link_key(seal_key, resealed, kind_of(link), node_id);
    REQUIRE(reopened);
    CHECK(hex_encode(fernet_decrypt_raw(seal_key, resealed).value()) == link.at("plaintext").get<std::string>());
  }
}

TEST_CASE("links: a wrong password, no password, or another link's key is integrity") {
  for (const auto& link : vectors().at("links")) {
    if (link.at("password").is_null()) continue;
    const Bytes link_id = from_b64(link.at("link_id"));
    const Bytes sealed = from_b64(link.at("sealed_key"));
    const std::string node_id = link.at("node_id").get<std::string>();
    const auto wrong = open_link_key(link_seal_key(ikm_of(link, *password_of(link) + "x"), link_id), sealed,
                                     kind_of(link), node_id);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == Errc::integrity);
    const auto none = open_link_key(link_seal_key(ikm_of(link, std::nullopt), link_id), sealed, kind_of(link), node_id);
    REQUIRE_FALSE(none);
    CHECK(none.error().code == Errc::integrity);
  }
}

TEST_CASE("links: every defect Python planted is refused as integrity, without secrets in the message") {
  const auto& link = vectors().at("links").at(0);
  const FernetKey seal_key = link_seal_key(ikm_of(link, std::nullopt), from_b64(link.at("link_id")));
  for (const auto& item : vectors().at("refused").items()) {
    const std::string defect = item.key();  // a named copy: clang 14's CAPTURE cannot take a binding
    const auto& token = item.value();
    CAPTURE(defect);
    auto opened = open_link_key(seal_key, from_hex(token.get<std::string>()), LinkKind::file,
                                link.at("node_id").get<std::string>());
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == Errc::integrity);
    CHECK(opened.error().message.find(link.at("node_key").get<std::string>()) == std::string::npos);
  }
}

TEST_CASE("link labels: the subkey is Python's; Python labels open to their paths and C++ ones open back") {
  const auto& labels = vectors().at("labels");
  const FernetKey master = key_from_base64(labels.at("master_key").get<std::string>());
  CHECK(hex_encode(derive_subkey(master, KeyPurpose::link_label).raw()) == labels.at("subkey").get<std::string>());
  CHECK(hkdf_info(KeyPurpose::link_label) == "coffer/v1/link-label");
  for (const auto& item : labels.at("items")) {
    const std::string path = item.at("path").get<std::string>();
    CHECK(open_link_label(master, from_b64(item.at("label"))).value() == path);
    CHECK(open_link_label(master, seal_link_label(master, path)).value() == path);
  }
  const auto other = open_link_label(FernetKey::generate(), from_b64(labels.at("items").at(0).at("label")));
  REQUIRE_FALSE(other);
  CHECK(other.error().code == Errc::integrity);
}

TEST_CASE("links: bad arguments") {
  CHECK(link_ikm(Bytes(31), std::nullopt, KdfParams{}).error().code == Errc::invalid_argument);
  KdfParams weak;
  weak.n = 1024;
  weak.salt = Bytes(16);
  CHECK(link_ikm(Bytes(32), std::string("pw"), weak).error().code == Errc::invalid_argument);
  CHECK_THROWS_AS(seal_link_key(FernetKey::generate(), LinkTarget{LinkKind::file, "xyz", FernetKey::generate()}),
                  std::invalid_argument);
  CHECK(link_kind_from_name("symlink") == std::nullopt);
  CHECK(std::string(link_kind_name(LinkKind::folder)) == "folder");
  CHECK(link_url("https://h//", Bytes(16), Bytes(32)) ==
        "https://h/l/AAAAAAAAAAAAAAAAAAAAAA==#AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
}
