#include <doctest/doctest.h>

#include <string>

#include "protocol/admin.hpp"
#include "protocol/auth.hpp"
#include "protocol/batch.hpp"
#include "protocol/changes.hpp"
#include "protocol/content.hpp"
#include "protocol/errors.hpp"
#include "protocol/nodes.hpp"

using namespace coffer::protocol;

namespace {

const std::string kNode = "0123456789abcdef0123456789abcdef";
const std::string kTag = std::string(64, 'a');
const std::string kKey32 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";  // 32 zero bytes

Json create_json() {
  return Json{{"node_id", kNode},    {"type", "file"},    {"parent_id", kNode},  {"name", "gAAAAA=="},
              {"name_tag", kTag},    {"wrapped_key", kKey32}, {"attributes", "AAAA"}, {"attributes_revision", 1}};
}

template <class T>
std::string parse_error(const Json& value) {
  auto parsed = T::from_json(value);
  return parsed ? "" : parsed.error().message;
}

}  // namespace

TEST_CASE("a login request is read strictly") {
  auto ok = LoginRequest::from_json(Json{{"user", "alice"}, {"auth_key", kKey32}, {"device", "laptop"}});
  REQUIRE(ok);
  CHECK(ok->user == "alice");
  CHECK(parse_error<LoginRequest>(Json{{"user", "alice"}, {"auth_key", kKey32}}) == "device: missing");
  CHECK(parse_error<LoginRequest>(Json{{"user", "alice"}, {"auth_key", kKey32}, {"device", "d"}, {"admin", true}}) ==
        "admin: unknown field");
  CHECK(parse_error<LoginRequest>(Json{{"user", 5}, {"auth_key", kKey32}, {"device", "d"}}) ==
        "user: expected a string");
  CHECK(parse_error<LoginRequest>(Json{{"user", "alice"}, {"auth_key", "AAAA"}, {"device", "d"}}) ==
        "auth_key: expected base64url (with padding) of 32 bytes");
  CHECK(parse_error<LoginRequest>(Json::array()) == "body: expected a JSON object");
}

TEST_CASE("requests round-trip through JSON") {
  auto create = CreateNodeRequest::from_json(create_json());
  REQUIRE(create);
  CHECK(Json(*create) == create_json());
  MoveRequest move;
  move.new_parent_id = kNode;
  move.name = "gAAAAA==";
  move.name_tag = kTag;
  move.wrapped_key = kKey32;
  move.mode = "exchange";
  move.exchange_name = "gAAAAA==";
  move.exchange_name_tag = kTag;
  move.exchange_wrapped_key = kKey32;
  auto back = MoveRequest::from_json(Json(move));
  REQUIRE(back);
  CHECK(back->exchange_name_tag == kTag);
}

TEST_CASE("cross-field rules") {
  Json move{{"new_parent_id", kNode}, {"name", "gAAAAA=="}, {"name_tag", kTag}, {"wrapped_key", kKey32}, {"mode", "exchange"}};
  CHECK(parse_error<MoveRequest>(move).find("exchange_name") != std::string::npos);
  move["mode"] = "sideways";
  CHECK(parse_error<MoveRequest>(move) == "mode: expected one of noreplace, replace, exchange");
  CHECK(parse_error<SetAttributesRequest>(Json{{"attributes", "AAAA"}, {"revision", 3}, {"base_revision", 3}}) ==
        "revision must be greater than base_revision");
  CHECK(parse_error<CommitRequest>(
            Json{{"base_version", 1}, {"version", 3}, {"manifest", "AAAA"}, {"chunks", Json::array()}}) ==
        "version must be base_version + 1");
  CHECK(parse_error<CommitRequest>(Json{{"base_version", -1}, {"version", 0}, {"manifest", "AAAA"},
                                        {"chunks", Json::array()}}) == "base_version: expected a whole number >= 0");
  CHECK(parse_error<CommitRequest>(Json{{"base_version", 0}, {"version", 1}, {"manifest", "AAAA"},
                                        {"chunks", Json::array({"../etc"})}}) ==
        "chunks[0]: expected 64 lowercase hex characters");
}

TEST_CASE("a commit may carry plain_size_hint, null or a number") {
  Json commit{{"base_version", 0}, {"version", 1}, {"manifest", "AAAA"}, {"chunks", Json::array()}};
  CHECK(CommitRequest::from_json(commit));
  commit["plain_size_hint"] = nullptr;
  CHECK(CommitRequest::from_json(commit));
  commit["plain_size_hint"] = 1234;
  CHECK(CommitRequest::from_json(commit)->plain_size_hint == 1234u);
  commit["plain_size_hint"] = "big";
  CHECK_FALSE(CommitRequest::from_json(commit).ok());
}

TEST_CASE("kdf parameters are bounded") {
  Json kdf{{"algorithm", "scrypt"}, {"n", 32768}, {"r", 8}, {"p", 1}, {"salt", "AAAAAAAAAAAAAAAAAAAAAA=="}};
  CHECK(KdfParams::from_json(kdf));
  kdf["n"] = 32767;
  CHECK(parse_error<KdfParams>(kdf).find("power of two") != std::string::npos);
  kdf["n"] = 1 << 22;
  kdf["r"] = 32;
  CHECK(parse_error<KdfParams>(kdf).find("1 GiB") != std::string::npos);
  kdf["r"] = 8;
  kdf["algorithm"] = "md5";
  CHECK(parse_error<KdfParams>(kdf) == "algorithm: expected one of scrypt");
}

TEST_CASE("a batch is read op by op: a malformed op fails alone") {
  Json bad_create = create_json();
  bad_create["op"] = "create";
  bad_create["node_id"] = "nope";
  Json good_remove{{"op", "remove"}, {"parent_id", kNode}, {"name_tag", kTag}};
  Json commit{{"op", "commit"}, {"node_id", kNode}, {"base_version", 0}, {"version", 1}, {"manifest", "AAAA"},
              {"chunks", Json::array({std::string(64, 'b')})},
              {"blobs", Json::array({Json{{"id", std::string(64, 'b')}, {"data", "AAAA"}}})}};
  auto batch = ParsedBatch::parse(Json{{"ops", Json::array({bad_create, good_remove, commit, Json{{"op", "fly"}}})}});
  REQUIRE(batch);
  auto* ops = &batch->ops;
  REQUIRE(ops->size() == 4);
  REQUIRE_FALSE((*ops)[0].ok());
  CHECK((*ops)[0].error().message == "ops[0].node_id: expected 32 lowercase hex characters");
  REQUIRE((*ops)[1].ok());
  CHECK(std::holds_alternative<BatchRemove>(*(*ops)[1]));
  REQUIRE((*ops)[2].ok());
  CHECK(std::get<BatchCommit>(*(*ops)[2]).blobs.size() == 1);
  CHECK_FALSE((*ops)[3].ok());
  CHECK(ParsedBatch::parse(Json{{"ops", 3}}).error().message == "ops: expected an array");
  CHECK_FALSE(ParsedBatch::parse(Json{{"ops", Json::array()}, {"extra", 1}}).ok());
  BatchRequest request;
  request.ops.push_back(*(*ops)[2]);
  request.folders.push_back(FolderUpdate{kNode, 4, 5, "AAAA"});
  auto again = ParsedBatch::parse(Json(request));
  REQUIRE(again);
  CHECK(again->ops[0].ok());
  REQUIRE(again->folders.size() == 1);
  CHECK(again->folders[0].revision == 5);
}

TEST_CASE("folder updates: revision follows base, no folder twice, taken out of a route's body") {
  Json update{{"node_id", kNode}, {"base_revision", 1}, {"revision", 3}, {"record", "AAAA"}};
  CHECK(ParsedBatch::parse(Json{{"ops", Json::array()}, {"folders", Json::array({update})}}).error().message ==
        "folders[0].revision: must be base_revision + 1");
  update["revision"] = 2;
  CHECK(ParsedBatch::parse(Json{{"ops", Json::array()}, {"folders", Json::array({update, update})}}).error().message ==
        "folders: folder " + std::string(kNode) + " is named twice");
  Json body{{"parent_id", kNode}, {"folders", Json::array({update})}};
  auto taken = take_folder_updates(body);
  REQUIRE(taken);
  CHECK(taken->size() == 1);
  CHECK_FALSE(body.contains("folders"));
  Json none{{"parent_id", kNode}};
  CHECK(take_folder_updates(none)->empty());
}

TEST_CASE("responses ignore fields a newer server adds, and error bodies keep details") {
  Json node{{"node_id", kNode}, {"type", "folder"}, {"owner", "alice"}, {"attributes", "AAAA"},
            {"attributes_revision", 1}, {"version", 0}, {"size", 0}, {"nlink", 1}, {"folder_revision", 3},
            {"color", "blue"}};
  CHECK(Node::from_json(node));
  auto error = ErrorBody::from_json(Json{{"error", "conflict"}, {"message", "stale"}, {"current_version", 4}});
  REQUIRE(error);
  CHECK(error->details.at("current_version") == 4);
  CHECK(Json(*error).at("current_version") == 4);
  ChangePage page;
  page.cursor = 9;
  page.changes.push_back(Change{9, kNode, std::nullopt, "version", true});
  auto read_back = ChangePage::from_json(Json(page));
  REQUIRE(read_back);
  CHECK(read_back->changes.at(0).kind == "version");
  CHECK(read_back->changes.at(0).own);
  CHECK_FALSE(read_back->changes.at(0).parent_id.has_value());
}

TEST_CASE("parse_json_text refuses malformed text") {
  CHECK_FALSE(parse_json_text("{\"a\": ").ok());
  CHECK_FALSE(parse_json_text("").ok());
  CHECK(parse_json_text("{\"a\": [1, 2]}").ok());
}
