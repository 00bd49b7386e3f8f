#include "cli/history_commands.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "cli/daemon_commands.hpp"
#include "config/units.hpp"
#include "history/history_names.hpp"
#include "protocol/formats.hpp"
#include "util/unix_time.hpp"

// The history commands (man/coffer.1): each asks the running mount daemon, which holds the
// keys, the tree and the caches (docs/client.md "Versions and trash").
namespace coffer::cli {
namespace {

struct HistoryOptions {
  std::string path;
  std::optional<std::uint64_t> version;
  std::optional<std::string> to;
  std::optional<std::string> at;
  std::optional<std::string> older_than;
  bool json = false;
};

std::string size_text(const nlohmann::json& size) {
  if (!size.is_number()) return "?";
  return config::format_size_approx(size.get<std::uint64_t>());
}

void run_versions(const GlobalOptions& global, const HistoryOptions& options) {
  auto paths = paths_of(global);
  std::string path = cloud_path(mountpoint_of("versions", paths), options.path);
  auto answer = ask_daemon("versions", paths, {{"request", "versions"}, {"path", path}});
  if (options.json) {
    std::cout << answer.dump(2) << '\n';
    return;
  }
  std::cout << "Versions of " << path << ", oldest first:\n";
  for (const auto& version : answer.value("versions", nlohmann::json::array())) {
    std::cout << "  v" << std::left << std::setw(6) << version.value("version", std::uint64_t{0})
              << local_time(version.value("created_at", std::int64_t{0})) << "  " << std::right << std::setw(8)
              << size_text(version.value("size", nlohmann::json())) << "  " << std::left << std::setw(16)
              << (version.value("device", nlohmann::json()).is_string() ? version.at("device").get<std::string>() : "-");
    if (version.value("current", false)) std::cout << "  (current)";
    auto error = version.value("error", std::string());
    if (!error.empty()) std::cout << "  refused: " << error;
    std::cout << '\n';
  }
}

void run_restore(const GlobalOptions& global, const HistoryOptions& options) {
  auto paths = paths_of(global);
  std::string mountpoint = mountpoint_of("restore", paths);
  nlohmann::json request = {{"request", "restore"}, {"path", cloud_path(mountpoint, options.path)},
                            {"version", *options.version}};
  if (options.to) request["to"] = cloud_path(mountpoint, *options.to);
  auto answer = ask_daemon("restore", paths, request);
  if (options.to) {
    std::cout << "Restored version " << *options.version << " as the new file " << answer.value("restored", std::string())
              << ".\n";
  } else {
    std::cout << "Restored version " << *options.version << " of " << answer.value("restored", std::string())
              << " as its newest version; `coffer versions` lists it, and restoring the one before undoes it.\n";
  }
}

char type_letter(const std::string& type) {
  if (type == "folder") return 'd';
  if (type == "symlink") return 'l';
  if (type == "special") return 's';
  return '-';
}

// `coffer ls` without --at: the folder as the mount shows it now.
void list_now(const std::string& mountpoint, const std::string& path, bool json) {
  namespace fs = std::filesystem;
  fs::path folder = fs::path(mountpoint) / fs::path(path).relative_path();
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
  if (ec) fail("ls", path + ": " + ec.message());
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path() < b.path(); });
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& entry : entries) {
    struct stat st {};
    if (::lstat(entry.path().c_str(), &st) != 0) continue;
    std::string type = S_ISDIR(st.st_mode) ? "folder" : S_ISLNK(st.st_mode) ? "symlink" : S_ISREG(st.st_mode) ? "file" : "special";
    listed.push_back({{"name", entry.path().filename().string()}, {"type", type},
                      {"size", static_cast<std::uint64_t>(st.st_size)}, {"mtime", static_cast<std::int64_t>(st.st_mtime)}});
  }
  if (json) {
    std::cout << nlohmann::json{{"path", path}, {"entries", listed}}.dump(2) << '\n';
    return;
  }
  for (const auto& entry : listed) {
    std::cout << type_letter(entry.at("type").get<std::string>()) << ' ' << std::right << std::setw(8) << size_text(entry.at("size")) << "  "
              << local_time(entry.at("mtime").get<std::int64_t>()) << "  " << entry.at("name").get<std::string>() << '\n';
  }
}

void run_ls(const GlobalOptions& global, const HistoryOptions& options) {
  auto paths = paths_of(global);
  std::string mountpoint = mountpoint_of("ls", paths);
  std::string path = cloud_path(mountpoint, options.path.empty() ? "." : options.path);
  if (!options.at) return list_now(mountpoint, path, options.json);
  auto at = value_or_fail("ls", history::parse_time(*options.at));
  auto answer = ask_daemon("ls", paths, {{"request", "ls_at"}, {"path", path}, {"at", at}});
  if (options.json) {
    answer["path"] = path;
    answer["at"] = at;
    std::cout << answer.dump(2) << '\n';
    return;
  }
  std::cout << path << " as it was at " << local_time(at) << ":\n";
  for (const auto& entry : answer.value("entries", nlohmann::json::array())) {
    std::cout << type_letter(entry.value("type", std::string())) << ' ' << std::right << std::setw(8)
              << size_text(entry.value("size", nlohmann::json())) << "  v" << std::left << std::setw(5)
              << entry.value("version", std::uint64_t{0}) << entry.value("name", std::string());
    auto error = entry.value("error", std::string());
    if (!error.empty()) std::cout << "  refused: " << error;
    std::cout << '\n';
  }
}

void run_trash_list(const GlobalOptions& global, const HistoryOptions& options) {
  auto paths = paths_of(global);
  mountpoint_of("trash list", paths);
  auto answer = ask_daemon("trash list", paths, {{"request", "trash_list"}});
  if (options.json) {
    std::cout << answer.dump(2) << '\n';
    return;
  }
  auto items = answer.value("items", nlohmann::json::array());
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    return a.value("path", std::string()) < b.value("path", std::string());
  });
  if (items.empty()) std::cout << "The trash is empty.\n";
  for (const auto& item : items) {
    auto path = item.value("path", std::string());
    std::cout << local_time(item.value("trashed_at", std::int64_t{0})) << "  " << type_letter(item.value("type", std::string()))
              << ' ' << std::right << std::setw(8) << size_text(item.value("size", nlohmann::json())) << "  "
              << item.value("node", std::string()) << "  " << (path.empty() ? "?" : path);
    auto error = item.value("error", std::string());
    if (!error.empty()) std::cout << "  (" << error << ")";
    std::cout << '\n';
  }
}

void run_trash_restore(const GlobalOptions& global, const HistoryOptions& options) {
  auto paths = paths_of(global);
  std::string mountpoint = mountpoint_of("trash restore", paths);
  nlohmann::json request = {{"request", "trash_restore"},
                            {"item", protocol::is_hex(options.path, protocol::kNodeIdLength) ? options.path : cloud_path(mountpoint, options.path)}};
  if (options.to) request["to"] = cloud_path(mountpoint, *options.to);
  auto answer = ask_daemon("trash restore", paths, request);
  auto nodes = answer.value("nodes", std::uint64_t{0});
  std::cout << "Restored " << answer.value("restored", std::string());
  if (nodes > 1) std::cout << " with " << nodes - 1 << " trashed items inside it";
  std::cout << ".\n";
}

void run_trash_empty(const GlobalOptions& global, const HistoryOptions& options) {
  auto paths = paths_of(global);
  mountpoint_of("trash empty", paths);
  nlohmann::json request = {{"request", "trash_empty"}, {"older_than", nullptr}};
  if (options.older_than) {
    auto age = value_or_fail("trash empty", history::parse_age(*options.older_than));
    request["older_than"] = unix_now() - age;
  }
  auto answer = ask_daemon("trash empty", paths, request);
  auto purged = answer.value("purged", std::uint64_t{0});
  std::cout << "Purged " << purged << (purged == 1 ? " item" : " items")
            << " for good; the server frees their space at its next garbage collection.\n";
}

}  // namespace

void add_history_commands(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<HistoryOptions>();
  const char* path_help = "A path inside the mount (absolute or relative), or a path from the cloud's root";

  auto* versions = app.add_subcommand("versions", "List a file's versions: number, time, size, device");
  versions->add_option("PATH", options->path, path_help)->required();
  versions->add_flag("--json", options->json, "Print JSON");
  versions->callback([&global, options] { run_versions(global, *options); });

  auto* restore = app.add_subcommand(
      "restore", "Bring back an old version of a file as its newest version (or as a new file with --to)");
  restore->add_option("PATH", options->path, path_help)->required();
  restore->add_option("--version", options->version, "The version to bring back (see `coffer versions`)")->required();
  restore->add_option("--to", options->to, "Make a new file at this path instead");
  restore->callback([&global, options] { run_restore(global, *options); });

  auto* ls = app.add_subcommand("ls", "List a folder now, or as it was at a time (--at)");
  ls->add_option("PATH", options->path, std::string(path_help) + " (default: the working directory)");
  ls->add_option("--at", options->at, "TIME: \"YYYY-MM-DD HH:MM[:SS]\" (local time) or Unix seconds");
  ls->add_flag("--json", options->json, "Print JSON");
  ls->callback([&global, options] { run_ls(global, *options); });

  auto* trash = app.add_subcommand("trash", "List, restore or empty the trash");
  trash->require_subcommand(1);
  auto* list = trash->add_subcommand("list", "List what is in the trash: when, type, size, node id, path");
  list->add_flag("--json", options->json, "Print JSON");
  list->callback([&global, options] { run_trash_list(global, *options); });
  auto* back = trash->add_subcommand(
      "restore", "Bring an item back from the trash, a folder with everything trashed inside it; a taken name gets a suffix");
  back->add_option("ITEM", options->path, "The item's path as `coffer trash list` shows it, or its node id")->required();
  back->add_option("--to", options->to, "A folder to restore into, or a new path for it");
  back->callback([&global, options] { run_trash_restore(global, *options); });
  auto* empty = trash->add_subcommand("empty", "Purge what is in the trash for good");
  empty->add_option("--older-than", options->older_than, "AGE: only what was trashed longer ago (30d, 12h, 45m, 2w)");
  empty->callback([&global, options] { run_trash_empty(global, *options); });
}

}  // namespace coffer::cli
