#include <iostream>

#include "config/units.hpp"
#include "server/admin/commands.hpp"
#include "server/admin/output.hpp"
#include "server/admin/progress_line.hpp"
#include "server/fsck/data_check.hpp"
#include "server/gc/garbage_collector.hpp"

// coffer-admin fsck and gc: the data directory's consistency, and the space of what nothing needs.
namespace coffer::server::admin {
namespace {

struct MaintenanceArgs {
  bool repair = false;
  std::string grace;
};

int fsck(AdminEnv& env, const MaintenanceArgs& args) {
  auto data = env.data();
  if (!data) return fail(data.error());
  fsck::CheckReport report;
  {
    ProgressLine line;
    auto checked = fsck::check_data_dir((*data)->path() / "coffer.db", (*data)->blobs(), args.repair, line.sink());
    if (!checked) return fail(checked.error());
    report = std::move(*checked);
  }
  if (env.options().json) {
    print_json(std::cout, protocol::Json{{"blobs", report.blobs},
                                         {"bytes", report.bytes},
                                         {"problems", report.problems},
                                         {"repaired", report.repaired},
                                         {"notes", report.notes}});
  } else {
    for (const auto& line : report.problems) std::cout << "problem: " << line << "\n";
    for (const auto& line : report.repaired) std::cout << "repaired: " << line << "\n";
    for (const auto& line : report.notes) std::cout << "note: " << line << "\n";
    std::cout << report.blobs << " blobs (" << config::format_size_approx(report.bytes) << ") and every row checked: "
              << (report.problems.empty() ? std::string("no problem") : std::to_string(report.problems.size()) + " problems")
              << (report.repaired.empty() ? "" : ", " + std::to_string(report.repaired.size()) + " repaired") << "\n";
  }
  return report.problems.empty() ? 0 : 1;
}

int gc(AdminEnv& env, const MaintenanceArgs& args) {
  auto config = env.config();
  if (!config) return fail(config.error());
  auto grace = (*config)->gc.grace;
  if (!args.grace.empty()) {
    auto parsed = config::parse_duration(args.grace);
    if (!parsed) return fail(make_error(Errc::invalid_argument, "--grace: '" + args.grace + "' is not a duration (10m, 24h)"));
    grace = *parsed;
  }
  auto data = env.data();
  if (!data) return fail(data.error());
  auto collected = gc::collect_garbage((*data)->path() / "coffer.db", (*data)->blobs(), grace);
  if (!collected) return fail(collected.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json{{"released_holdings", collected->released_holdings},
                                         {"removed_blobs", collected->removed_blobs},
                                         {"removed_bytes", collected->removed_bytes},
                                         {"removed_files", collected->removed_files}});
  } else {
    std::cout << "released " << collected->released_holdings << " uploads no version lists; removed "
              << collected->removed_blobs << " blobs (" << config::format_size_approx(collected->removed_bytes)
              << ") and " << collected->removed_files << " stray blob files\n";
  }
  return 0;
}

}  // namespace

void add_maintenance_commands(CLI::App& app, Action& action) {
  auto args = std::make_shared<MaintenanceArgs>();
  auto* check = app.add_subcommand(
      "fsck", "Check every row, usage and blob of the data directory (beside a running cofferd); exit 1 on a problem");
  check->add_flag("--repair", args->repair, "repair what can be repaired without losing anything, saying what");
  check->callback([&action, args] { action = [args](AdminEnv& env) { return fsck(env, *args); }; });

  auto* collect = app.add_subcommand(
      "gc", "Remove blobs nothing holds or lists, and uploads no version lists once older than the grace period");
  collect->add_option("--grace", args->grace,
                      "keep uploads and stray files younger than this (default: gc.grace of the configuration, 24h)");
  collect->callback([&action, args] { action = [args](AdminEnv& env) { return gc(env, *args); }; });
}

}  // namespace coffer::server::admin
