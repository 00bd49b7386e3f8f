#include "crypto/attributes_codec.hpp"

#include "crypto/manifest.hpp"

namespace coffer::crypto {
namespace {

constexpr std::uint32_t kNanosecondsPerSecond = 1'000'000'000;

void write_time(ByteWriter& out, const Timestamp& time) {
  out.i64(time.sec);
  out.u32(time.nsec);
}

Timestamp read_time(ByteReader& in) {
  Timestamp time;
  time.sec = in.i64();
  time.nsec = in.u32();
  if (time.nsec >= kNanosecondsPerSecond) in.fail();
  return time;
}

bool read_xattrs(ByteReader& in, std::map<std::string, Bytes>& xattrs) {
  const std::uint32_t count = in.u32();
  const std::string* previous = nullptr;
  for (std::uint32_t i = 0; i < count && in.ok(); ++i) {
    const std::uint16_t name_size = in.u16();
    if (name_size == 0 || name_size > kMaxXattrNameSize) in.fail();
    std::string name = in.text(name_size);
    const std::uint32_t value_size = in.u32();
    if (value_size > kMaxXattrValueSize) in.fail();
    const ByteView value = in.raw(value_size);
    // Names must be strictly increasing, so each set of xattrs has one encoding.
    if (!in.ok() || (previous != nullptr && !(*previous < name))) return false;
    previous = &xattrs.emplace_hint(xattrs.end(), std::move(name), Bytes(value.begin(), value.end()))->first;
  }
  return in.ok();
}

}  // namespace

Status check_attributes(const Attributes& attributes) {
  auto invalid = [](const char* defect) { return make_error(Errc::invalid_argument, defect); };
  for (const Timestamp* time : {&attributes.atime, &attributes.mtime, &attributes.ctime}) {
    if (time->nsec >= kNanosecondsPerSecond) return invalid("a timestamp has nanoseconds above 999999999");
  }
  for (const auto& [name, value] : attributes.xattrs) {
    if (name.empty() || name.size() > kMaxXattrNameSize) return invalid("an xattr name is empty or over 255 bytes");
    if (value.size() > kMaxXattrValueSize) return invalid("an xattr value is over 64 KiB");
  }
  if (attributes.symlink_target.size() > kMaxSymlinkTargetSize) return invalid("a symlink target is over 4095 bytes");
  return {};
}

void write_attributes(ByteWriter& out, const Attributes& attributes) {
  out.u32(attributes.mode);
  out.u32(attributes.uid);
  out.u32(attributes.gid);
  out.u64(attributes.rdev);
  write_time(out, attributes.atime);
  write_time(out, attributes.mtime);
  write_time(out, attributes.ctime);
  out.u32(static_cast<std::uint32_t>(attributes.xattrs.size()));
  for (const auto& [name, value] : attributes.xattrs) {
    out.u16(static_cast<std::uint16_t>(name.size()));
    out.raw(as_bytes(name));
    out.u32(static_cast<std::uint32_t>(value.size()));
    out.raw(value);
  }
  out.u32(static_cast<std::uint32_t>(attributes.symlink_target.size()));
  out.raw(as_bytes(attributes.symlink_target));
}

bool read_attributes(ByteReader& in, Attributes& attributes) {
  attributes.mode = in.u32();
  attributes.uid = in.u32();
  attributes.gid = in.u32();
  attributes.rdev = in.u64();
  attributes.atime = read_time(in);
  attributes.mtime = read_time(in);
  attributes.ctime = read_time(in);
  if (!read_xattrs(in, attributes.xattrs)) {
    in.fail();
    return false;
  }
  const std::uint32_t target_size = in.u32();
  if (target_size > kMaxSymlinkTargetSize) in.fail();
  attributes.symlink_target = in.text(target_size);
  return in.ok();
}

void write_node_id(ByteWriter& out, const std::string& node_id) {
  out.u16(static_cast<std::uint16_t>(node_id.size()));
  out.raw(as_bytes(node_id));
}

std::string read_node_id(ByteReader& in) {
  const std::uint16_t size = in.u16();
  if (size == 0 || size > kMaxNodeIdSize) in.fail();
  return in.text(size);
}

}  // namespace coffer::crypto
