#include "server/backup/backup_repository.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/storage/local/posix_file.hpp"

namespace coffer::server::backup {
namespace {

constexpr int kFormat = 1;
constexpr const char* kMarker = "coffer-backup.json";
constexpr const char* kPartial = ".partial";

bool is_empty_dir(const std::filesystem::path& dir) {
  std::error_code error;
  return std::filesystem::is_directory(dir, error) && std::filesystem::is_empty(dir, error);
}

Result<std::string> read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return storage::io_error("cannot read", file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `text` to `file` through a temp file, synced and renamed.
Status write_durably(const std::filesystem::path& file, const std::string& text) {
  const auto temp = file.string() + ".tmp";
  storage::FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid()) return storage::io_error("cannot create", temp);
  COFFER_TRY_STATUS(storage::write_all(fd.get(), text, temp));
  COFFER_TRY_STATUS(storage::sync_file(fd.get(), temp));
  if (::rename(temp.c_str(), file.c_str()) != 0) return storage::io_error("cannot rename into", file);
  return storage::sync_directory(file.parent_path());
}

Status check_marker(const std::filesystem::path& dir) {
  auto text = read_text(dir / kMarker);
  if (!text) return make_error(Errc::not_found, dir.string() + " is not a Coffer backup folder (no " + kMarker + ")");
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object() || !json.contains("format") || !json["format"].is_number_integer()) {
    return make_error(Errc::integrity, (dir / kMarker).string() + " does not parse");
  }
  if (json["format"].get<int>() != kFormat) {
    return make_error(Errc::unsupported, dir.string() + " is a backup of format " + json["format"].dump() +
                                             "; this coffer-admin reads format " + std::to_string(kFormat));
  }
  return {};
}

Result<int> take_lock(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return storage::io_error("cannot open", file);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return make_error(Errc::unavailable, "another backup run is using " + file.parent_path().string());
  }
  return fd;
}

nlohmann::json to_json(const SnapshotInfo& info) {
  return {{"format", kFormat},
          {"created", info.created},
          {"schema_version", info.schema_version},
          {"database_sha256", info.database_sha256},
          {"database_bytes", info.database_bytes},
          {"blobs", info.blobs},
          {"blob_bytes", info.blob_bytes},
          {"copied_blobs", info.copied_blobs},
          {"copied_bytes", info.copied_bytes},
          {"damaged", info.damaged}};
}

Result<SnapshotInfo> read_info(const std::filesystem::path& dir) {
  const auto file = dir / "snapshot.json";
  auto text = read_text(file);
  if (!text) return text.error();
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  SnapshotInfo info;
  info.name = dir.filename().string();
  try {
    info.created = json.at("created").get<std::int64_t>();
    info.schema_version = json.at("schema_version").get<int>();
    info.database_sha256 = json.at("database_sha256").get<std::string>();
    info.database_bytes = json.at("database_bytes").get<std::uint64_t>();
    info.blobs = json.at("blobs").get<std::uint64_t>();
    info.blob_bytes = json.at("blob_bytes").get<std::uint64_t>();
    info.copied_blobs = json.at("copied_blobs").get<std::uint64_t>();
    info.copied_bytes = json.at("copied_bytes").get<std::uint64_t>();
    info.damaged = json.at("damaged").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception&) {
    return make_error(Errc::integrity, file.string() + " does not parse");
  }
  return info;
}

std::string time_name(std::int64_t now) {
  const std::time_t seconds = now;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

}  // namespace

Result<std::unique_ptr<BackupRepository>> BackupRepository::create_or_open(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::exists(dir, error) || is_empty_dir(dir)) {
    std::filesystem::create_directories(dir / "snapshots", error);
    if (error) return make_error(Errc::io, "cannot create " + dir.string() + ": " + error.message());
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, error);
    COFFER_TRY_STATUS(write_durably(dir / kMarker, nlohmann::json{{"format", kFormat}}.dump() + "\n"));
  }
  COFFER_TRY_STATUS(check_marker(dir));
  auto lock = take_lock(dir / "lock");
  if (!lock) return lock.error();
  std::unique_ptr<BackupRepository> repository(new BackupRepository(dir, *lock));
  // A run that stopped half way left a partial snapshot; its blobs, already verified, stay.
  for (const auto& entry : std::filesystem::directory_iterator(dir / "snapshots", error)) {
    if (entry.path().extension() == kPartial) std::filesystem::remove_all(entry.path(), error);
  }
  auto blobs = storage::LocalBlobStore::open(dir / "blobs");
  if (!blobs) return blobs.error();
  repository->blobs_ = std::move(*blobs);
  return repository;
}

Result<std::unique_ptr<BackupRepository>> BackupRepository::open(const std::filesystem::path& dir) {
  COFFER_TRY_STATUS(check_marker(dir));
  std::unique_ptr<BackupRepository> repository(new BackupRepository(dir, -1));
  auto blobs = storage::LocalBlobStore::attach(dir / "blobs");
  if (!blobs) return blobs.error();
  repository->blobs_ = std::move(*blobs);
  return repository;
}

BackupRepository::~BackupRepository() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Result<std::vector<SnapshotInfo>> BackupRepository::snapshots() const {
  std::vector<SnapshotInfo> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "snapshots", error)) {
    if (!entry.is_directory() || entry.path().extension() == kPartial) continue;
    auto info = read_info(entry.path());
    if (!info) return info.error();
    found.push_back(std::move(*info));
  }
  if (error) return make_error(Errc::io, "cannot list " + (dir_ / "snapshots").string() + ": " + error.message());
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return found;
}

Result<SnapshotInfo> BackupRepository::snapshot(const std::string& name) const {
  auto all = snapshots();
  if (!all) return all.error();
  if (all->empty()) return make_error(Errc::not_found, dir_.string() + " holds no snapshot yet");
  if (name.empty()) return all->back();
  for (auto& info : *all) {
    if (info.name == name) return info;
  }
  return make_error(Errc::not_found, "no snapshot " + name + " in " + dir_.string() + " (see backup list)");
}

std::filesystem::path BackupRepository::database_of(const std::string& name) const {
  return dir_ / "snapshots" / name / "coffer.db";
}

std::filesystem::path BackupRepository::partial_dir(const std::string& name) const {
  return dir_ / "snapshots" / (name + kPartial);
}

Result<std::string> BackupRepository::begin_snapshot(std::int64_t now) {
  const auto base = time_name(now);
  std::string name = base;
  std::error_code error;
  for (int n = 2; std::filesystem::exists(dir_ / "snapshots" / name, error); ++n) name = base + "-" + std::to_string(n);
  std::filesystem::create_directories(partial_dir(name), error);
  if (error) return make_error(Errc::io, "cannot create " + partial_dir(name).string() + ": " + error.message());
  return name;
}

Status BackupRepository::commit_snapshot(const SnapshotInfo& info) {
  const auto partial = partial_dir(info.name);
  {
    storage::FileDescriptor database(::open((partial / "coffer.db").c_str(), O_RDONLY | O_CLOEXEC));
    if (!database.valid()) return storage::io_error("cannot open", partial / "coffer.db");
    COFFER_TRY_STATUS(storage::sync_file(database.get(), partial / "coffer.db"));
  }
  COFFER_TRY_STATUS(write_durably(partial / "snapshot.json", to_json(info).dump(2) + "\n"));
  const auto final_dir = dir_ / "snapshots" / info.name;
  if (::rename(partial.c_str(), final_dir.c_str()) != 0) return storage::io_error("cannot rename into", final_dir);
  return storage::sync_directory(dir_ / "snapshots");
}

Status BackupRepository::remove_snapshot(const std::string& name) {
  std::error_code error;
  std::filesystem::remove_all(dir_ / "snapshots" / name, error);
  if (error) return make_error(Errc::io, "cannot remove snapshot " + name + ": " + error.message());
  return storage::sync_directory(dir_ / "snapshots");
}

}  // namespace coffer::server::backup
