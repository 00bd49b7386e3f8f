#include "sync/set_aside.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "profile/private_file.hpp"
#include "util/unix_time.hpp"

namespace coffer::sync {
namespace {

std::string file_name(std::uint64_t seq) {
  char name[24];
  std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(seq));
  return name;
}

}  // namespace

Status SetAsideStore::prepare() const { return profile::ensure_private_dir(dir_ / "blobs"); }

Status SetAsideStore::keep(const JournalOp& op, const std::string& cause, const std::filesystem::path& blob_dir) const {
  for (const auto& id : op_blob_files(op.body)) {
    // A blob already moved to the cache was uploaded; the server has it under its id.
    if (::link((blob_dir / id).c_str(), (dir_ / "blobs" / id).c_str()) != 0 && errno != EEXIST && errno != ENOENT) {
      spdlog::warn("set-aside: cannot keep blob {} of op {}: {}", id, op.seq, std::strerror(errno));
    }
  }
  nlohmann::json entry = {{"seq", op.seq}, {"at", unix_now()},       {"op", op_name(op.body)},
                          {"node", op_node_id(op.body)}, {"cause", cause}, {"record", encode_op(op)}};
  std::string text = entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  Bytes token = crypto::fernet_encrypt_raw(key_, as_bytes(text));
  secure_zero(text.data(), text.size());
  auto& record = entry["record"].get_ref<std::string&>();
  secure_zero(record.data(), record.size());
  COFFER_TRY_STATUS(profile::write_private_file(dir_ / file_name(op.seq), to_string(token)));
  return profile::sync_folder(dir_);
}

void SetAsideStore::forget(const JournalOp& op) const {
  std::error_code ec;
  for (const auto& id : op_blob_files(op.body)) std::filesystem::remove(dir_ / "blobs" / id, ec);
  std::filesystem::remove(dir_ / file_name(op.seq), ec);
  (void)profile::sync_folder(dir_);
}

std::vector<std::uint64_t> SetAsideStore::seqs() const {
  std::vector<std::uint64_t> found;
  std::error_code ec;
  for (const auto& file : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = file.path().filename().string();
    if (name.size() == 20 && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) found.push_back(std::stoull(name));
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::size_t SetAsideStore::count() const { return seqs().size(); }

SetAsideEntry SetAsideStore::read(std::uint64_t seq) const {
  SetAsideEntry entry{seq, 0, "?", "?", "the set-aside file does not open with this profile's journal key"};
  auto token = profile::read_file(dir_ / file_name(seq));
  if (!token) return entry;
  auto plain = crypto::fernet_decrypt_raw(key_, as_bytes(*token));
  if (!plain) return entry;
  auto json = nlohmann::json::parse(plain->begin(), plain->end(), nullptr, false);
  secure_zero(plain->data(), plain->size());
  if (!json.is_object()) return entry;
  entry.at = json.value("at", std::int64_t{0});
  entry.op = json.value("op", std::string("?"));
  entry.node_id = json.value("node", std::string("?"));
  entry.cause = json.value("cause", std::string());
  if (json.contains("record") && json["record"].is_string()) {
    auto& record = json["record"].get_ref<std::string&>();
    secure_zero(record.data(), record.size());
  }
  return entry;
}

std::vector<SetAsideEntry> SetAsideStore::latest(std::size_t limit) const {
  auto all = seqs();
  std::vector<SetAsideEntry> entries;
  for (auto it = all.rbegin(); it != all.rend() && entries.size() < limit; ++it) entries.push_back(read(*it));
  return entries;
}

}  // namespace coffer::sync
