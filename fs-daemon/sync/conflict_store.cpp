#include "sync/conflict_store.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "profile/private_file.hpp"

namespace coffer::sync {
namespace {

std::string file_name(std::uint64_t seq) {
  char name[24];
  std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(seq));
  return name;
}

}  // namespace

Status ConflictStore::prepare() const { return profile::ensure_private_dir(dir_); }

Status ConflictStore::keep(const ConflictRecord& record) const {
  nlohmann::json json = {{"seq", record.seq},         {"at", record.at},         {"kind", record.kind},
                         {"node", record.node_id},    {"copy", record.copy_id},  {"folder", record.folder_id},
                         {"name", record.name}};
  std::string text = json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  Bytes token = crypto::fernet_encrypt_raw(key_, as_bytes(text));
  secure_zero(text.data(), text.size());
  COFFER_TRY_STATUS(profile::write_private_file(dir_ / file_name(record.seq), to_string(token)));
  return profile::sync_folder(dir_);
}

std::optional<ConflictRecord> ConflictStore::find(std::uint64_t seq) const {
  auto token = profile::read_file(dir_ / file_name(seq));
  if (!token) return std::nullopt;
  auto plain = crypto::fernet_decrypt_raw(key_, as_bytes(*token));
  if (!plain) return std::nullopt;
  auto json = nlohmann::json::parse(plain->begin(), plain->end(), nullptr, false);
  secure_zero(plain->data(), plain->size());
  if (!json.is_object()) return std::nullopt;
  return ConflictRecord{seq,
                        json.value("at", std::int64_t{0}),
                        json.value("kind", std::string()),
                        json.value("node", std::string()),
                        json.value("copy", std::string()),
                        json.value("folder", std::string()),
                        json.value("name", std::string())};
}

void ConflictStore::forget(std::uint64_t seq) const {
  std::error_code ec;
  std::filesystem::remove(dir_ / file_name(seq), ec);
}

std::vector<std::uint64_t> ConflictStore::seqs() const {
  std::vector<std::uint64_t> found;
  std::error_code ec;
  for (const auto& file : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = file.path().filename().string();
    if (name.size() == 20 && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      found.push_back(std::stoull(name));
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::size_t ConflictStore::count() const { return seqs().size(); }

std::vector<ConflictRecord> ConflictStore::latest(std::size_t limit) const {
  auto all = seqs();
  std::vector<ConflictRecord> records;
  for (auto it = all.rbegin(); it != all.rend() && records.size() < limit; ++it) {
    if (auto record = find(*it)) records.push_back(std::move(*record));
  }
  return records;
}

}  // namespace coffer::sync
