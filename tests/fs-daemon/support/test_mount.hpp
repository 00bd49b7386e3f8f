#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "memory_remote.hpp"
#include "mount/mount_runtime.hpp"

namespace coffer::test {

// A folder removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A user as `coffer register` creates one: a master key and a root folder on the remote.
struct TestAccount {
  std::string root_id;
  crypto::FernetKey master_key;
  Bytes root_wrapped_key;
  crypto::FernetKey journal_key;

  static TestAccount create(MemoryRemote& remote);
};

// Small chunks so that multi-chunk files stay small in tests.
profile::ClientConfig small_chunk_config();

// One device's mount, without FUSE: a profile folder (journal, caches, rollback guard) and a
// running Vfs over the remote.
class TestMount {
 public:
  TestMount(remote::RemoteApi& remote, const TestAccount& account, const std::filesystem::path& profile,
            profile::ClientConfig config = small_chunk_config());
  ~TestMount();

  vfs::Vfs& vfs() { return runtime_->vfs(); }
  // What the mount takes the server's state to be (no transport updates it here: the tests do).
  remote::Connectivity& connectivity() { return connectivity_; }
  mount::MountRuntime& runtime() { return *runtime_; }
  mount::ProfileStores& stores() { return stores_; }
  // Waits until every queued change is on the remote; fails the test otherwise.
  void drain();

  // Helpers that go through the Vfs like a program would.
  std::uint64_t write_file(std::uint64_t parent, const std::string& name, const Bytes& content);
  Bytes read_file(std::uint64_t ino);
  std::uint64_t lookup(std::uint64_t parent, const std::string& name);

 private:
  profile::ProfilePaths paths_;
  profile::ClientConfig config_;
  profile::Login login_;
  mount::ProfileStores stores_;
  remote::Connectivity connectivity_;
  std::unique_ptr<mount::MountRuntime> runtime_;
};

Bytes pattern_bytes(std::size_t size, unsigned seed);

// The names a folder lists, "." and ".." included, read with readdirplus as the kernel does
// (the lookups it counts are forgotten again).
std::vector<std::string> names_in(vfs::Vfs& vfs, std::uint64_t ino);

}  // namespace coffer::test
