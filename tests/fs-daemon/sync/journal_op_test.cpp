#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

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
}
