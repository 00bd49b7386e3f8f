#include <doctest/doctest.h>

#include <string>

#include "protocol/links.hpp"

using namespace coffer::protocol;

namespace {

const std::string kNode = "0123456789abcdef0123456789abcdef";
const std::string kLinkId = "AAAAAAAAAAAAAAAAAAAAAA==";  // 16 zero bytes

Json kdf_json() {
  return Json{{"algorithm", "scrypt"}, {"n", 32768}, {"r", 8}, {"p", 1}, {"salt", "AAAAAAAAAAAAAAAAAAAAAA=="}};
}

Json create_json() {
  return Json{{"link_id", kLinkId}, {"node_id", kNode},  {"kind", "file"},       {"sealed_key", "AAAA"},
              {"password", nullptr}, {"label", "AAAA"}, {"expires_at", nullptr}, {"max_downloads", nullptr}};
}

std::string create_error(const Json& value) {
  auto parsed = CreateLinkRequest::from_json(value);
  return parsed ? "" : parsed.error().message;
}

Json with(Json value, const std::string& key, Json field) {
  value[key] = std::move(field);
  return value;
}

}  // namespace

TEST_CASE("a link id is canonical base64url of 16 bytes") {
  CHECK(is_link_id(kLinkId));
  CHECK(is_link_id("_-_-_-_-_-_-_-_-_-_-_w=="));
  CHECK_FALSE(is_link_id("AAAAAAAAAAAAAAAAAAAAAA"));     // no padding
  CHECK_FALSE(is_link_id("AAAAAAAAAAAAAAAAAAAAAB=="));   // unused bits set
  CHECK_FALSE(is_link_id("AAAAAAAAAAAAAAAAAAAAAAAA"));   // 18 bytes
  CHECK_FALSE(is_link_id("AAAAAAAAAAAAAAAAAAAA+A=="));   // not the URL alphabet
  CHECK_FALSE(is_link_id(""));
}

TEST_CASE("a link request is read strictly") {
  auto ok = CreateLinkRequest::from_json(create_json());
  REQUIRE(ok);
  CHECK(ok->kind == "file");
  CHECK_FALSE(ok->password);
  CHECK_FALSE(ok->expires_at);
  CHECK_FALSE(ok->max_downloads);

  Json full = create_json();
  full["kind"] = "folder";
  full["password"] = Json{{"salt", kLinkId}, {"kdf", kdf_json()}};
  full["expires_at"] = 1900000000;
  full["max_downloads"] = 3;
  auto parsed = CreateLinkRequest::from_json(full);
  REQUIRE(parsed);
  CHECK(parsed->password->kdf.n == 32768);
  CHECK(*parsed->expires_at == 1900000000);
  CHECK(*parsed->max_downloads == 3);
  // What it writes, it reads back the same.
  Json written = *parsed;
  CHECK(written == full);

  Json absent = create_json();
  absent.erase("password");
  absent.erase("expires_at");
  absent.erase("max_downloads");
  CHECK(create_error(absent).empty());

  CHECK(create_error(with(create_json(), "extra", 1)) == "extra: unknown field");
  CHECK(create_error(with(create_json(), "link_id", "AAAA")).rfind("link_id: expected", 0) == 0);
  CHECK(create_error(with(create_json(), "node_id", "xyz")).rfind("node_id: expected", 0) == 0);
  CHECK(create_error(with(create_json(), "kind", "symlink")).rfind("kind: ", 0) == 0);
  CHECK(create_error(with(create_json(), "sealed_key", std::string(1368, 'A'))).rfind("sealed_key: expected", 0) == 0);
  CHECK(create_error(with(create_json(), "sealed_key", std::string(1364, 'A'))).empty());  // 1023 bytes
  CHECK(create_error(with(create_json(), "label", std::string(5464, 'A'))).rfind("label: expected", 0) == 0);
  CHECK(create_error(with(create_json(), "max_downloads", 0)) == "max_downloads: expected a whole number >= 1 or null");
  CHECK(create_error(with(create_json(), "max_downloads", -1)).rfind("max_downloads: expected", 0) == 0);
  CHECK(create_error(with(create_json(), "max_downloads", "3")).rfind("max_downloads: expected", 0) == 0);
  CHECK(create_error(with(create_json(), "expires_at", -1)).rfind("expires_at: expected", 0) == 0);
  CHECK(create_error(with(create_json(), "expires_at", 1.5)).rfind("expires_at: expected", 0) == 0);
  CHECK(create_error(with(create_json(), "password", "x")) != "");
  CHECK(create_error(with(create_json(), "password", Json{{"salt", "AAAA"}, {"kdf", kdf_json()}}))
            .rfind("password.salt: expected", 0) == 0);
  CHECK(create_error(with(create_json(), "password", Json{{"salt", kLinkId}, {"kdf", Json{{"algorithm", "md5"}}}}))
            .rfind("password.kdf.algorithm", 0) == 0);
  CHECK(create_error(with(create_json(), "password", Json{{"salt", kLinkId}, {"kdf", kdf_json()}, {"pepper", 1}})) ==
        "password.pepper: unknown field");
  CHECK(create_error(Json::array()) != "");
}

TEST_CASE("link answers round-trip and tolerate new fields") {
  LinkInfo info{"folder", LinkPassword{kLinkId, KdfParams{}}, 1900000000, 5, 2, "alice"};
  info.password->kdf.salt = kLinkId;
  Json json = info;
  CHECK(json.at("password").at("salt") == kLinkId);
  json["future"] = true;
  auto back = LinkInfo::from_json(json);
  REQUIRE(back);
  CHECK(back->owner == "alice");
  CHECK(*back->max_downloads == 5);

  LinkInfo plain{"file", std::nullopt, std::nullopt, std::nullopt, 0, "bob"};
  Json plain_json = plain;
  CHECK(plain_json.at("password").is_null());
  CHECK(plain_json.at("expires_at").is_null());
  CHECK(LinkInfo::from_json(plain_json));

  LinkOpened opened{kNode, "file", "AAAA", "link." + std::string(64, 'a'), 1900000000, "alice"};
  auto opened_back = LinkOpened::from_json(Json(opened));
  REQUIRE(opened_back);
  CHECK(opened_back->token == opened.token);

  LinkList list{{LinkSummary{kLinkId, kNode, "file", "AAAA", 1, std::nullopt, 2, 1, true}}};
  auto list_back = LinkList::from_json(Json(list));
  REQUIRE(list_back);
  REQUIRE(list_back->links.size() == 1);
  CHECK(list_back->links[0].password);
  CHECK(*list_back->links[0].max_downloads == 2);
}
