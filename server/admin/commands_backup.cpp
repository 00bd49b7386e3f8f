#include <iostream>

#include "config/units.hpp"
#include "server/admin/commands.hpp"
#include "server/admin/output.hpp"
#include "server/admin/progress_line.hpp"
#include "server/backup/snapshot_create.hpp"
#include "server/backup/snapshot_prune.hpp"
#include "server/backup/snapshot_restore.hpp"
#include "server/backup/snapshot_verify.hpp"
#include "server/service/context.hpp"

// coffer-admin backup create|list|verify|restore: snapshots of the whole server.
namespace coffer::server::admin {
namespace {

struct BackupArgs {
  std::string dir;
  std::string snapshot;
  std::string restore_data;
  std::size_t keep = 0;
};

protocol::Json snapshot_json(const backup::SnapshotInfo& info) {
  return {{"name", info.name},         {"created", info.created},         {"schema_version", info.schema_version},
          {"blobs", info.blobs},       {"blob_bytes", info.blob_bytes},   {"copied_blobs", info.copied_blobs},
          {"copied_bytes", info.copied_bytes}, {"database_bytes", info.database_bytes}, {"damaged", info.damaged}};
}

int report_damaged(const backup::SnapshotInfo& info) {
  if (info.damaged.empty()) return 0;
  std::cerr << "coffer-admin: " << info.damaged.size()
            << " blobs were missing or damaged in the data directory and are not in the snapshot; the first: "
            << info.damaged.front() << ". Run coffer-admin fsck.\n";
  return 1;
}

int create(AdminEnv& env, const BackupArgs& args) {
  auto data = env.data();
  if (!data) return fail(data.error());
  auto repository = backup::BackupRepository::create_or_open(args.dir);
  if (!repository) return fail(repository.error());
  backup::SnapshotInfo info;
  {
    ProgressLine line;
    auto made = backup::create_snapshot((*data)->path() / "coffer.db", (*data)->blobs(), **repository,
                                        service::system_seconds(), line.sink());
    if (!made) return fail(made.error());
    info = std::move(*made);
  }
  std::uint64_t pruned = 0;
  if (args.keep > 0) {
    auto removed = backup::prune_snapshots(**repository, args.keep);
    if (!removed) return fail(removed.error());
    pruned = *removed;
  }
  if (env.options().json) {
    auto json = snapshot_json(info);
    json["pruned_blobs"] = pruned;
    print_json(std::cout, json);
  } else {
    std::cout << "snapshot " << info.name << " in " << args.dir << ": " << info.blobs << " blobs ("
              << config::format_size_approx(info.blob_bytes) << "), " << info.copied_blobs << " copied now ("
              << config::format_size_approx(info.copied_bytes) << "), database "
              << config::format_size_approx(info.database_bytes) << "\n";
    if (args.keep > 0) std::cout << "kept the newest " << args.keep << " snapshots; removed " << pruned << " unused blobs\n";
  }
  return report_damaged(info);
}

int list(AdminEnv& env, const BackupArgs& args) {
  auto repository = backup::BackupRepository::open(args.dir);
  if (!repository) return fail(repository.error());
  auto snapshots = (*repository)->snapshots();
  if (!snapshots) return fail(snapshots.error());
  if (env.options().json) {
    protocol::Json all = protocol::Json::array();
    for (const auto& info : *snapshots) all.push_back(snapshot_json(info));
    print_json(std::cout, all);
    return 0;
  }
  Table table({"SNAPSHOT", "TAKEN (UTC)", "BLOBS", "BYTES", "COPIED", "DAMAGED"});
  for (const auto& info : *snapshots) {
    table.add({info.name, format_time(info.created), std::to_string(info.blobs), config::format_size_approx(info.blob_bytes),
               config::format_size_approx(info.copied_bytes), std::to_string(info.damaged.size())});
  }
  table.print(std::cout);
  return 0;
}

int verify(AdminEnv& env, const BackupArgs& args) {
  auto repository = backup::BackupRepository::open(args.dir);
  if (!repository) return fail(repository.error());
  backup::VerifyReport report;
  {
    ProgressLine line;
    auto checked = backup::verify_snapshots(**repository, args.snapshot, line.sink());
    if (!checked) return fail(checked.error());
    report = std::move(*checked);
  }
  if (env.options().json) {
    print_json(std::cout, protocol::Json{{"snapshots", report.snapshots},
                                         {"blobs", report.blobs},
                                         {"bytes", report.bytes},
                                         {"problems", report.problems}});
  } else {
    for (const auto& problem : report.problems) std::cout << problem << "\n";
    std::cout << report.snapshots.size() << " snapshots, " << report.blobs << " blobs ("
              << config::format_size_approx(report.bytes) << ") checked: "
              << (report.problems.empty() ? "no problem" : std::to_string(report.problems.size()) + " problems") << "\n";
  }
  return report.problems.empty() ? 0 : 1;
}

int restore(AdminEnv& env, const BackupArgs& args) {
  auto repository = backup::BackupRepository::open(args.dir);
  if (!repository) return fail(repository.error());
  backup::SnapshotInfo info;
  {
    ProgressLine line;
    auto restored = backup::restore_snapshot(**repository, args.snapshot, args.restore_data, line.sink());
    if (!restored) return fail(restored.error());
    info = std::move(*restored);
  }
  if (env.options().json) {
    print_json(std::cout, snapshot_json(info));
  } else {
    std::cout << "restored snapshot " << info.name << " (" << format_time(info.created) << " UTC) into "
              << args.restore_data << ": " << info.blobs << " blobs; start it with: cofferd --data "
              << args.restore_data << "\n";
  }
  return 0;
}

}  // namespace

void add_backup_commands(CLI::App& app, Action& action) {
  auto args = std::make_shared<BackupArgs>();
  auto* backup = app.add_subcommand("backup", "Snapshots of the whole server (database and blobs)")->require_subcommand(1);

  auto* create_command = backup->add_subcommand(
      "create", "Take a consistent snapshot into DIR while cofferd serves; copies only blobs DIR lacks");
  create_command->add_option("DIR", args->dir, "the backup folder (created when missing)")->required();
  create_command->add_option("--keep", args->keep, "then keep only the newest N snapshots and the blobs they need")
      ->check(CLI::Range(1, 100000));
  create_command->callback([&action, args] { action = [args](AdminEnv& env) { return create(env, *args); }; });

  auto* list_command = backup->add_subcommand("list", "The snapshots in DIR, oldest first");
  list_command->add_option("DIR", args->dir, "the backup folder")->required();
  list_command->callback([&action, args] { action = [args](AdminEnv& env) { return list(env, *args); }; });

  auto* verify_command = backup->add_subcommand(
      "verify", "Re-hash every blob and check every reference of the snapshots in DIR; exit 1 naming each problem");
  verify_command->add_option("DIR", args->dir, "the backup folder")->required();
  verify_command->add_option("--snapshot", args->snapshot, "only this snapshot (default: all)");
  verify_command->callback([&action, args] { action = [args](AdminEnv& env) { return verify(env, *args); }; });

  auto* restore_command = backup->add_subcommand("restore", "Build a new data directory from a snapshot in DIR");
  restore_command->add_option("DIR", args->dir, "the backup folder")->required();
  restore_command->add_option("--data", args->restore_data, "the new data directory (must not exist or be empty)")
      ->required();
  restore_command->add_option("--snapshot", args->snapshot, "which snapshot (default: the newest)");
  restore_command->callback([&action, args] { action = [args](AdminEnv& env) { return restore(env, *args); }; });
}

}  // namespace coffer::server::admin
