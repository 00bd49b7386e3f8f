#include <iostream>

#include "config/units.hpp"
#include "server/admin/commands.hpp"
#include "server/admin/output.hpp"
#include "server/admin/progress_line.hpp"
#include "server/fsck/data_check.hpp"

// coffer-admin fsck: the data directory's consistency, checked and, where nothing is lost, repaired.
namespace coffer::server::admin {
namespace {

struct MaintenanceArgs {
  bool repair = false;
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

}  // namespace

void add_maintenance_commands(CLI::App& app, Action& action) {
  auto args = std::make_shared<MaintenanceArgs>();
  auto* check = app.add_subcommand(
      "fsck", "Check every row, usage and blob of the data directory (beside a running cofferd); exit 1 on a problem");
  check->add_flag("--repair", args->repair, "repair what can be repaired without losing anything, saying what");
  check->callback([&action, args] { action = [args](AdminEnv& env) { return fsck(env, *args); }; });
}

}  // namespace coffer::server::admin
