#include <iostream>

#include "config/units.hpp"
#include "server/admin/commands.hpp"
#include "server/admin/output.hpp"
#include "server/admin/tls_init.hpp"
#include "server/service/context.hpp"

// coffer-admin audit, stats and tls init: the server as a whole.
namespace coffer::server::admin {
namespace {

struct ServerArgs {
  std::string since;
  std::size_t limit = 1000;
  std::string tls_dir;
  std::vector<std::string> names;
  int days = 3650;
};

// --since: Unix seconds, or a duration back from now ("24h", "7d").
Result<std::int64_t> parse_since(const std::string& text) {
  if (text.empty()) return std::int64_t{0};
  if (text.find_first_not_of("0123456789") == std::string::npos && text.size() > 7) return std::stoll(text);
  auto ago = config::parse_duration(text);
  if (!ago) return make_error(Errc::invalid_argument, "--since: expected Unix seconds or a duration like 24h or 7d");
  return service::system_seconds() - ago->count();
}

int show_audit(AdminEnv& env, const ServerArgs& args) {
  auto since = parse_since(args.since);
  if (!since) return fail(since.error());
  auto services = env.services();
  if (!services) return fail(services.error());
  auto events = (*services)->admin.audit(*since, args.limit);
  if (!events) return fail(events.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json(*events));
    return 0;
  }
  Table table({"TIME (UTC)", "EVENT", "USER", "ADDRESS", "DETAIL"});
  for (const auto& e : events->events) table.add({format_time(e.at), e.event, e.user.value_or("-"), e.address, e.detail});
  table.print(std::cout);
  return 0;
}

int show_stats(AdminEnv& env) {
  auto services = env.services();
  if (!services) return fail(services.error());
  auto stats = (*services)->admin.stats();
  if (!stats) return fail(stats.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json(*stats));
    return 0;
  }
  Table table({"USERS", "SESSIONS", "NODES", "VERSIONS", "BLOBS", "BYTES", "LINKS"});
  table.add({std::to_string(stats->users), std::to_string(stats->sessions), std::to_string(stats->nodes),
             std::to_string(stats->versions), std::to_string(stats->blobs), config::format_size_approx(stats->bytes),
             std::to_string(stats->links)});
  table.print(std::cout);
  return 0;
}

int tls_init(AdminEnv& env, const ServerArgs& args) {
  std::filesystem::path dir = args.tls_dir;
  if (dir.empty()) {
    auto config = env.config();
    if (!config) return fail(config.error());
    dir = (*config)->data_dir / "tls";
  }
  const auto names = args.names.empty() ? std::vector<std::string>{"localhost", "127.0.0.1", "::1"} : args.names;
  auto pair = make_self_signed(dir, names, args.days);
  if (!pair) return fail(pair.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json{{"certificate", pair->certificate.string()},
                                         {"private_key", pair->private_key.string()},
                                         {"sha256_fingerprint", pair->fingerprint}});
    return 0;
  }
  std::cout << "certificate: " << pair->certificate.string() << "\nprivate key: " << pair->private_key.string()
            << "\nSHA-256 fingerprint: " << pair->fingerprint << "\n\nAdd to the cofferd configuration:\ntls:\n"
            << "  certificate: " << pair->certificate.string() << "\n  private_key: " << pair->private_key.string() << "\n";
  return 0;
}

}  // namespace

void add_server_commands(CLI::App& app, Action& action) {
  auto args = std::make_shared<ServerArgs>();
  auto* audit = app.add_subcommand("audit", "Security events: logins, sessions, admin actions");
  audit->add_option("--since", args->since, "Unix seconds, or how long ago: 24h, 7d (default: everything)");
  audit->add_option("--limit", args->limit, "at most this many events (default 1000)")->check(CLI::Range(1, 100000));
  audit->callback([&action, args] { action = [args](AdminEnv& env) { return show_audit(env, *args); }; });

  app.add_subcommand("stats", "Counts of users, sessions, nodes, versions, blobs, stored bytes and live links")->callback([&action] {
    action = show_stats;
  });

  auto* tls = app.add_subcommand("tls", "TLS certificates")->require_subcommand(1);
  auto* init = tls->add_subcommand("init", "Make a self-signed certificate and key; print its SHA-256 fingerprint");
  init->add_option("--dir", args->tls_dir, "where to write cert.pem and key.pem (default: DATA/tls)");
  init->add_option("--name", args->names, "host name or address for the certificate (repeatable; default localhost, "
                                          "127.0.0.1, ::1)");
  init->add_option("--days", args->days, "validity in days (default 3650)")->check(CLI::Range(1, 36500));
  init->callback([&action, args] { action = [args](AdminEnv& env) { return tls_init(env, *args); }; });
}

}  // namespace coffer::server::admin
