#include "cli/daemon_link.hpp"

#include "config/units.hpp"
#include "control/control_socket.hpp"
#include "sync/journal.hpp"

namespace coffer::cli {

bool daemon_running(const profile::ProfilePaths& paths) {
  return control::control_request(paths.control_socket(), "status", std::chrono::seconds(10)).ok();
}

Result<nlohmann::json> daemon_request(const profile::ProfilePaths& paths, const std::string& request,
                                      std::chrono::seconds timeout) {
  auto answer = control::control_request(paths.control_socket(), request, timeout + std::chrono::seconds(10));
  if (!answer) return std::move(answer).error();
  auto json = nlohmann::json::parse(*answer, nullptr, false);
  if (!json.is_object()) return make_error(Errc::internal, "the daemon's answer is not JSON");
  return json;
}

void upload_pending_first(const profile::ProfilePaths& paths, std::chrono::seconds wait) {
  auto status = daemon_request(paths, "status", std::chrono::seconds(5));
  if (status && status->value("pending_ops", std::uint64_t{0}) == 0) return;
  (void)daemon_request(paths, "sync " + std::to_string(wait.count()), wait + std::chrono::seconds(30));
}

std::uint64_t pending_journal_ops(const profile::ProfilePaths& paths, const profile::ProfileKeys& keys) {
  auto journal = sync::Journal::open(paths.journal_dir(), keys.journal_key);
  if (!journal) return 0;
  return (*journal)->take_replayed().size();
}

Result<nlohmann::json> journal_status(const profile::ProfilePaths& paths, const profile::ProfileKeys& keys) {
  constexpr std::size_t kLatestShown = 3;
  constexpr std::size_t kConflictsShown = 10;
  auto journal = sync::Journal::open(paths.journal_dir(), keys.journal_key);
  if (!journal) return std::move(journal).error();
  const auto& store = (*journal)->set_aside_store();
  nlohmann::json status = {{"pending_ops", (*journal)->take_replayed().size()},
                           {"set_aside", store.count()},
                           {"set_aside_latest", nlohmann::json::array()},
                           {"damaged", (*journal)->damaged_count()},
                           {"conflicts", (*journal)->conflict_store().count()},
                           {"conflicts_latest", nlohmann::json::array()}};
  for (const auto& entry : store.latest(kLatestShown)) {
    status["set_aside_latest"].push_back(
        {{"seq", entry.seq}, {"at", entry.at}, {"op", entry.op}, {"node", entry.node_id}, {"cause", entry.cause}});
  }
  for (const auto& conflict : (*journal)->conflict_store().latest(kConflictsShown)) {
    status["conflicts_latest"].push_back({{"at", conflict.at}, {"kind", conflict.kind}, {"name", conflict.name},
                                          {"folder", conflict.folder_id}, {"node", conflict.node_id}});
  }
  return status;
}

std::string describe_pending(std::uint64_t ops, std::uint64_t bytes) {
  std::string text = std::to_string(ops) + (ops == 1 ? " change" : " changes");
  if (bytes > 0) text += " (" + config::format_size_approx(bytes) + ")";
  return text;
}

}  // namespace coffer::cli
