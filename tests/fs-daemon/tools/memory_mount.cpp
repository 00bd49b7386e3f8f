// Mounts the FUSE adaptor over the in-memory remote, for trying programs against the file
// system while developing: memory_mount MOUNTPOINT PROFILE_DIR (foreground; Ctrl-C unmounts).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <iostream>

#include "fuse/fuse_mount.hpp"
#include "log/logging.hpp"
#include "test_mount.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: memory_mount MOUNTPOINT PROFILE_DIR\n";
    return 2;
  }
  coffer::log::init("memory_mount", "info");
  coffer::test::MemoryRemote remote;
  auto account = coffer::test::TestAccount::create(remote);
  auto config = coffer::test::small_chunk_config();
  config.chunk_size = 1 << 20;
  config.inline_limit = 256 << 10;
  coffer::test::TestMount mount(remote, account, argv[2], config);
  auto fuse = coffer::fuse::FuseMount::mount({argv[1], {}, 60, 10});
  if (!fuse) {
    std::cerr << fuse.error().message << '\n';
    return 1;
  }
  mount.vfs().set_notifier(fuse->get());
  auto status = (*fuse)->run(mount.vfs());
  mount.vfs().set_notifier(nullptr);
  return status ? 0 : 1;
}
