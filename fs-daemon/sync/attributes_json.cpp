#include "sync/attributes_json.hpp"

#include <stdexcept>

#include "crypto/encoding.hpp"

namespace coffer::sync {
namespace {

using nlohmann::json;

json time_json(const crypto::Timestamp& t) { return json::array({t.sec, t.nsec}); }
crypto::Timestamp time_from(const json& j) { return {j.at(0).get<std::int64_t>(), j.at(1).get<std::uint32_t>()}; }

Bytes unb64(const json& value) {
  auto bytes = crypto::base64url_decode(value.get<std::string>());
  if (!bytes) throw std::invalid_argument(bytes.error().message);
  return std::move(bytes).value();
}

}  // namespace

json attributes_json(const crypto::Attributes& a) {
  json xattrs = json::object();
  for (const auto& [name, value] : a.xattrs) xattrs[name] = crypto::base64url_encode(value);
  return {{"mode", a.mode}, {"uid", a.uid}, {"gid", a.gid}, {"rdev", a.rdev}, {"atime", time_json(a.atime)},
          {"mtime", time_json(a.mtime)}, {"ctime", time_json(a.ctime)}, {"xattrs", xattrs},
          {"target", a.symlink_target}};
}

crypto::Attributes attributes_from(const json& j) {
  crypto::Attributes a;
  a.mode = j.at("mode").get<std::uint32_t>();
  a.uid = j.at("uid").get<std::uint32_t>();
  a.gid = j.at("gid").get<std::uint32_t>();
  a.rdev = j.value("rdev", std::uint64_t{0});  // absent from records written before device nodes
  a.atime = time_from(j.at("atime"));
  a.mtime = time_from(j.at("mtime"));
  a.ctime = time_from(j.at("ctime"));
  for (const auto& [name, value] : j.at("xattrs").items()) a.xattrs[name] = unb64(value);
  a.symlink_target = j.at("target").get<std::string>();
  return a;
}

}  // namespace coffer::sync
