#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "sync/conflict_name.hpp"
#include "sync/journal_op.hpp"

using namespace coffer;

TEST_CASE("a create op keeps its type and every attribute through the journal's JSON") {
  crypto::Attributes attributes;
  attributes.mode = S_IFBLK | 0660;
  attributes.uid = 1000;
  attributes.gid = 6;
  attributes.rdev = makedev(259, 65536);
  attributes.atime = {1, 2};
  attributes.mtime = {3, 4};
  attributes.ctime = {5, 6};
  attributes.xattrs["user.note"] = Bytes{'x'};
  const sync::JournalOp op{7, sync::CreateOp{std::string(32, 'b'), remote::NodeType::special,
                                            remote::SealedName{std::string(32, 'a'), "name", std::string(64, 'c'), Bytes{1}},
                                            SecureBytes(32, 9), attributes, SecureBytes(32, 8)}};
  auto decoded = sync::decode_op(sync::encode_op(op));
  REQUIRE(decoded.ok());
  CHECK(decoded->seq == 7);
  const auto* create = std::get_if<sync::CreateOp>(&decoded->body);
  REQUIRE(create != nullptr);
  CHECK(create->type == remote::NodeType::special);
  CHECK(create->attributes == attributes);
  CHECK(create->parent_key == SecureBytes(32, 8));  // the folder key that seals the parent's record
}

TEST_CASE("a journal record written before device nodes reads back with rdev 0") {
  const std::string old_record =
      R"({"op":"attrs","node":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","key":"AAAA","size":0,"seq":3,)"
      R"("attrs":{"mode":33188,"uid":1,"gid":2,"atime":[0,0],"mtime":[0,0],"ctime":[0,0],"xattrs":{},"target":""}})";
  auto decoded = sync::decode_op(old_record);
  REQUIRE(decoded.ok());
  const auto* attrs = std::get_if<sync::SetAttributesOp>(&decoded->body);
  REQUIRE(attrs != nullptr);
  CHECK(attrs->attributes.mode == 33188);
  CHECK(attrs->attributes.rdev == 0);
  CHECK(attrs->base_version == sync::kUnknownBase);  // sent on the server's version, as then
}

TEST_CASE("a commit keeps its base and place, a remove the version it saw, through the journal's JSON") {
  sync::CommitOp commit{std::string(32, 'b'), SecureBytes(32, 9), 3, 4096, {std::nullopt}, {}, {}, 5,
                        sync::EntryPlace{std::string(32, 'a'), SecureBytes(32, 8), "notes.txt"}};
  auto decoded = sync::decode_op(sync::encode_op({8, commit}));
  REQUIRE(decoded.ok());
  const auto* back = std::get_if<sync::CommitOp>(&decoded->body);
  REQUIRE(back != nullptr);
  CHECK(back->base_version == 5);
  CHECK(back->place.parent_id == std::string(32, 'a'));
  CHECK(back->place.parent_key == SecureBytes(32, 8));
  CHECK(back->place.name == "notes.txt");

  sync::RemoveOp remove{{std::string(32, 'a'), std::string(64, 'c'), std::nullopt}, std::string(32, 'b'),
                        SecureBytes(32, 8), 4, "notes.txt", SecureBytes(32, 9)};
  decoded = sync::decode_op(sync::encode_op({9, remove}));
  REQUIRE(decoded.ok());
  const auto* removed = std::get_if<sync::RemoveOp>(&decoded->body);
  REQUIRE(removed != nullptr);
  CHECK(removed->seen_version == 4);
  CHECK(removed->name == "notes.txt");
  CHECK(removed->node_key == SecureBytes(32, 9));
}

TEST_CASE("a remove written before removes named a version removes whatever version is there") {
  const std::string old_record =
      R"({"op":"remove","parent":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","tag":"cc","node":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",)"
      R"("parent_key":"AAAA","seq":4})";
  auto decoded = sync::decode_op(old_record);
  REQUIRE(decoded.ok());
  const auto* remove = std::get_if<sync::RemoveOp>(&decoded->body);
  REQUIRE(remove != nullptr);
  CHECK(remove->seen_version == sync::kUnknownBase);
}

TEST_CASE("a conflicted copy's name keeps the extension, counts clashes and stays within 255 bytes") {
  std::tm when{};
  when.tm_year = 2026 - 1900;
  when.tm_mon = 11;
  when.tm_mday = 2;
  when.tm_hour = 9;
  when.tm_min = 15;
  when.tm_sec = 7;
  CHECK(sync::conflicted_copy_name("notes.txt", "laptop", when, 1) == "notes (conflicted copy laptop 2026-12-02 091507).txt");
  CHECK(sync::conflicted_copy_name("a.tar.gz", "laptop", when, 2) == "a.tar (conflicted copy laptop 2026-12-02 091507 2).gz");
  CHECK(sync::conflicted_copy_name(".bashrc", "laptop", when, 1) == ".bashrc (conflicted copy laptop 2026-12-02 091507)");
  CHECK(sync::conflicted_copy_name("README", "a/b", when, 1) == "README (conflicted copy a-b 2026-12-02 091507)");
  const std::string long_name = std::string(207, 'x') + "\xc3\xa9" + std::string(40, 'y') + ".txt";  // cut inside é
  const std::string copy = sync::conflicted_copy_name(long_name, "laptop", when, 1);
  CHECK(copy == std::string(207, 'x') + " (conflicted copy laptop 2026-12-02 091507).txt");
}
