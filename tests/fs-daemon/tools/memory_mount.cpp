// Mounts the FUSE adaptor over the in-memory remote, for trying programs against the file
// system while developing: memory_mount MOUNTPOINT PROFILE_DIR (foreground; unmount to stop).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <iostream>

#include "fuse/fuse_mount.hpp"
#include "log/logging.hpp"
#include "test_mount.hpp"

namespace {

int fail(const coffer::Error& error) {
  std::cerr << "memory_mount: " << error.message << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: memory_mount MOUNTPOINT PROFILE_DIR\n";
    return 2;
  }
  coffer::log::init("memory_mount", "info");
  coffer::test::MemoryRemote remote;
  auto account = coffer::test::TestAccount::create(remote);
  coffer::profile::ClientConfig config;
  coffer::profile::ProfilePaths paths(argv[2]);
  coffer::profile::LoginInfo login;
  login.root_node_id = account.root_id;
  login.root_wrapped_key = account.root_wrapped_key;
  coffer::profile::Login profile_login{login, coffer::profile::ProfileKeys{account.master_key, {}, account.journal_key}};
  auto stores = coffer::mount::ProfileStores::open(paths, config, profile_login);
  if (!stores) return fail(stores.error());
  auto root = coffer::mount::load_root(remote, *stores->guard, login, account.master_key);
  if (!root) return fail(root.error());
  coffer::remote::Connectivity connectivity;
  coffer::mount::MountRuntime runtime(coffer::mount::Remotes{remote, remote, connectivity}, *stores, config);
  runtime.open_root(std::move(root).value());
  auto fuse = coffer::fuse::FuseMount::mount({argv[1], {}, 60, 10});
  if (!fuse) return fail(fuse.error());
  runtime.vfs().set_notifier(fuse->get());
  auto status = (*fuse)->run(runtime.vfs(), nullptr);
  runtime.vfs().set_notifier(nullptr);
  return status ? 0 : fail(status.error());
}
