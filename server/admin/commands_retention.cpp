#include <ctime>
#include <iostream>

#include "config/units.hpp"
#include "server/admin/commands.hpp"
#include "server/admin/output.hpp"
#include "server/retention/version_pruner.hpp"
#include "util/unix_time.hpp"

// coffer-admin versions prune and trash expire: the retention policy and the trash's age limit,
// applied by hand (cofferd applies both on its schedule).
namespace coffer::server::admin {
namespace {

struct RetentionArgs {
  std::string now;
  bool dry_run = false;
  std::string user;
};

// A UNIX time, or "YYYY-MM-DD HH:MM[:SS]" in UTC; the system clock when empty.
Result<std::int64_t> parse_now(const std::string& text) {
  if (text.empty()) return unix_now();
  if (text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 12) return std::stoll(text);
  std::tm parts{};
  int seconds = 0;
  char extra = 0;
  const int read = std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%c", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
                               &parts.tm_hour, &parts.tm_min, &seconds, &extra);
  if (read != 5 && read != 6) {
    return make_error(Errc::invalid_argument,
                      "--now: '" + text + "' is neither a UNIX time nor YYYY-MM-DD HH:MM[:SS] (UTC)");
  }
  parts.tm_sec = read == 6 ? seconds : 0;
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&parts));
}

void print_unreferenced(std::uint64_t blobs, std::uint64_t bytes, bool dry_run) {
  std::cout << "; " << blobs << " blobs (" << config::format_size_approx(bytes) << ") "
            << (dry_run ? "would be" : "are now") << " listed by no version (coffer-admin gc frees them)"
            << (dry_run ? "; dry run: nothing changed" : "") << "\n";
}

int prune(AdminEnv& env, const RetentionArgs& args) {
  auto config = env.config();
  if (!config) return fail(config.error());
  auto now = parse_now(args.now);
  if (!now) return fail(now.error());
  auto data = env.data();
  if (!data) return fail(data.error());
  retention::PruneRequest request{(*config)->retention, *now, args.dry_run, std::nullopt};
  if (!args.user.empty()) request.user = args.user;
  auto report = retention::prune_versions((*data)->path() / "coffer.db", request);
  if (!report) return fail(report.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json{{"versions", report->versions},
                                         {"files", report->files},
                                         {"unreferenced_blobs", report->unreferenced_blobs},
                                         {"unreferenced_bytes", report->unreferenced_bytes},
                                         {"history_rows", report->history_rows},
                                         {"dry_run", args.dry_run}});
    return 0;
  }
  std::cout << (args.dry_run ? "would prune " : "pruned ") << report->versions << " versions of " << report->files
            << " files; " << (args.dry_run ? "would forget " : "forgot ") << report->history_rows
            << " history rows of entries removed before the longest horizon";
  print_unreferenced(report->unreferenced_blobs, report->unreferenced_bytes, args.dry_run);
  return 0;
}

int expire(AdminEnv& env, const RetentionArgs& args) {
  auto config = env.config();
  if (!config) return fail(config.error());
  auto now = parse_now(args.now);
  if (!now) return fail(now.error());
  auto services = env.services();
  if (!services) return fail(services.error());
  auto purged = (*services)->trash.expire(*now - (*config)->trash.max_age.count(), args.dry_run);
  if (!purged) return fail(purged.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json{{"nodes", purged->nodes},
                                         {"versions", purged->versions},
                                         {"unreferenced_blobs", purged->unreferenced_blobs},
                                         {"unreferenced_bytes", purged->unreferenced_bytes},
                                         {"dry_run", args.dry_run}});
    return 0;
  }
  std::cout << (args.dry_run ? "would purge " : "purged ") << purged->nodes << " nodes from the trash with "
            << purged->versions << " versions";
  print_unreferenced(purged->unreferenced_blobs, purged->unreferenced_bytes, args.dry_run);
  return 0;
}

void add_clock_options(CLI::App& command, RetentionArgs& args) {
  command.add_option("--now", args.now,
                     "apply the policy as if it were this time: a UNIX time or \"YYYY-MM-DD HH:MM[:SS]\" in UTC "
                     "(default: now)");
  command.add_flag("--dry-run", args.dry_run, "say what would be removed, and remove nothing");
}

}  // namespace

void add_retention_commands(CLI::App& app, Action& action) {
  auto args = std::make_shared<RetentionArgs>();
  auto* versions = app.add_subcommand("versions", "Old versions of files");
  versions->require_subcommand(1);
  auto* prune_command = versions->add_subcommand(
      "prune", "Remove old versions the retention policy does not keep (cofferd does it every retention.interval)");
  add_clock_options(*prune_command, *args);
  prune_command->add_option("--user", args->user, "only this user's files");
  prune_command->callback([&action, args] { action = [args](AdminEnv& env) { return prune(env, *args); }; });

  auto* trash = app.add_subcommand("trash", "Users' trash");
  trash->require_subcommand(1);
  auto* expire_command = trash->add_subcommand(
      "expire", "Purge what has been in the trash longer than trash.max_age (cofferd does it every retention.interval)");
  add_clock_options(*expire_command, *args);
  expire_command->callback([&action, args] { action = [args](AdminEnv& env) { return expire(env, *args); }; });
}

}  // namespace coffer::server::admin
