#include <iostream>

#include "config/units.hpp"
#include "protocol/formats.hpp"
#include "server/admin/commands.hpp"
#include "server/admin/new_account.hpp"
#include "server/admin/output.hpp"

namespace coffer::server::admin {
namespace {

struct UserArgs {
  std::string name;
  bool admin = false;
  std::string password_file;
  std::string quota;
};

Status check_name(const std::string& name) {
  if (protocol::is_user_name(name)) return {};
  return make_error(Errc::invalid_argument,
                    "'" + name + "' is not a user name (1 to 64 of a-z 0-9 . _ -, starting with a letter or digit)");
}

// "10G", "500M", "1048576", or "unlimited".
Result<std::optional<std::uint64_t>> parse_quota(const std::string& text) {
  if (text.empty() || text == "unlimited") return std::optional<std::uint64_t>();
  auto size = config::parse_size(text);
  if (!size) return size.error();
  return std::optional<std::uint64_t>(*size);
}

int add_user(AdminEnv& env, const UserArgs& args) {
  if (auto ok = check_name(args.name); !ok) return fail(ok.error());
  auto quota = parse_quota(args.quota);
  if (!quota) return fail(quota.error());
  auto password = read_password_file(args.password_file);
  if (!password) return fail(password.error());
  auto services = env.services();
  if (!services) return fail(services.error());
  auto account = make_account(args.name, *password, args.admin, quota->has_value() ? *quota : (*services)->config().accounts.default_quota);
  if (!account) return fail(account.error());
  auto id = (*services)->admin.add_user(env.actor(), *account);
  if (!id) return fail(id.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json{{"user", args.name}, {"user_id", *id}, {"root_node_id", account->root_node_id}});
  } else {
    std::cout << "created user " << args.name << (args.admin ? " (admin)" : "") << "\n";
  }
  return 0;
}

int invite_user(AdminEnv& env, const UserArgs& args) {
  if (auto ok = check_name(args.name); !ok) return fail(ok.error());
  auto services = env.services();
  if (!services) return fail(services.error());
  auto code = (*services)->admin.invite(env.actor(), args.name, args.admin);
  if (!code) return fail(code.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json{{"user", args.name}, {"invite", *code}});
  } else {
    std::cout << "invite code for " << args.name << ": " << *code << "\n"
              << "valid for " << config::format_duration((*services)->config().accounts.invite_lifetime)
              << "; the user runs: coffer register --invite " << *code << "\n";
  }
  return 0;
}

int list_users(AdminEnv& env) {
  auto services = env.services();
  if (!services) return fail(services.error());
  auto users = (*services)->admin.users();
  if (!users) return fail(users.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json(*users));
    return 0;
  }
  Table table({"USER", "ID", "ROLE", "STATE", "USED", "QUOTA", "CREATED"});
  for (const auto& u : users->users) {
    const std::string state = u.pending ? "invited" : u.disabled ? "disabled" : "active";
    table.add({u.user, u.pending ? "-" : std::to_string(u.user_id), u.admin ? "admin" : "user", state,
               config::format_size_approx(u.used), u.quota ? config::format_size_approx(*u.quota) : "unlimited",
               format_time(u.created_at)});
  }
  table.print(std::cout);
  return 0;
}

// disable, enable, delete and quota: one change to one user, confirmed in a line.
int change_user(AdminEnv& env, const std::string& verb, const UserArgs& args) {
  auto services = env.services();
  if (!services) return fail(services.error());
  auto& admin = (*services)->admin;
  service::Outcome<service::Done> done = service::Done{};
  if (verb == "quota") {
    auto quota = parse_quota(args.quota);
    if (!quota) return fail(quota.error());
    done = admin.set_quota(env.actor(), args.name, *quota);
  } else if (verb == "delete") {
    done = admin.remove_user(env.actor(), args.name);
  } else {
    done = admin.set_disabled(env.actor(), args.name, verb == "disable");
  }
  if (!done) return fail(done.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json{{"user", args.name}, {"done", verb}});
  } else {
    if (verb == "quota") {
      std::cout << "quota of " << args.name << ": " << (args.quota.empty() ? "unlimited" : args.quota) << "\n";
    } else {
      std::cout << verb << "d user " << args.name << "\n";
    }
  }
  return 0;
}

}  // namespace

void add_user_commands(CLI::App& app, Action& action) {
  auto args = std::make_shared<UserArgs>();
  auto* user = app.add_subcommand("user", "Manage accounts")->require_subcommand(1);

  auto* add = user->add_subcommand("add", "Create a working account in one step (keys made here, as a client would)");
  add->add_option("NAME", args->name, "user name")->required();
  add->add_flag("--admin", args->admin, "the user may use the admin routes");
  add->add_option("--password-file", args->password_file, "file holding the password (one trailing newline ignored)")
      ->required();
  add->add_option("--quota", args->quota, "ciphertext quota, e.g. 10G or 500M (default: accounts.default_quota)");
  add->callback([&action, args] { action = [args](AdminEnv& env) { return add_user(env, *args); }; });

  auto* invite = user->add_subcommand("invite", "Print a one-time code for `coffer register` (keys made by the user)");
  invite->add_option("NAME", args->name, "user name")->required();
  invite->add_flag("--admin", args->admin, "the user may use the admin routes");
  invite->callback([&action, args] { action = [args](AdminEnv& env) { return invite_user(env, *args); }; });

  user->add_subcommand("list", "List accounts and pending invites")->callback([&action] { action = list_users; });

  for (const char* verb : {"disable", "enable", "delete"}) {
    auto* change = user->add_subcommand(verb, std::string(verb) == "disable" ? "Refuse logins and end every session"
                                              : std::string(verb) == "enable" ? "Allow logins again"
                                                                             : "Delete the account and everything it owns");
    change->add_option("NAME", args->name, "user name")->required();
    change->callback([&action, args, verb] { action = [args, verb](AdminEnv& env) { return change_user(env, verb, *args); }; });
  }
  auto* quota = user->add_subcommand("quota", "Set the ciphertext quota: SIZE like 10G or 500M, or unlimited");
  quota->add_option("NAME", args->name, "user name")->required();
  quota->add_option("SIZE", args->quota, "10G, 500M, 1048576 or unlimited")->required();
  quota->callback([&action, args] { action = [args](AdminEnv& env) { return change_user(env, "quota", *args); }; });
}

}  // namespace coffer::server::admin
