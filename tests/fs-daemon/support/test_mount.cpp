#include "test_mount.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/encoding.hpp"
#include "crypto/folder_record.hpp"
#include "crypto/keys.hpp"
#include "crypto/random.hpp"
#include "sync/record_meta.hpp"

namespace coffer::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "coffer-test-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

TestAccount TestAccount::create(MemoryRemote& remote) {
  auto master = crypto::FernetKey::generate();
  auto root_key = crypto::FernetKey::generate();
  std::string root_id = crypto::hex_encode(crypto::random_bytes(16));
  crypto::AttributeRecord record;
  record.node_id = root_id;
  record.revision = 1;
  record.attributes.mode = S_IFDIR | 0755;
  sync::set_content_meta(record.attributes, {0, 0});
  remote.add_root(root_id, crypto::seal_attribute_record(root_key, record),
                  crypto::seal_folder_record(root_key, {root_id, 1, 0, crypto::FolderCommitment().digest()}));
  return {root_id, master, crypto::wrap_key(master, root_key), crypto::FernetKey::generate()};
}

profile::ClientConfig small_chunk_config() {
  profile::ClientConfig config;
  config.chunk_size = 64 * 1024;
  config.inline_limit = 16 * 1024;
  config.cache_size = 64ull << 20;
  config.fsync_timeout = std::chrono::seconds(20);
  return config;
}

namespace {

profile::Login login_for(const TestAccount& account) {
  profile::LoginInfo info;
  info.server_url = "memory:";
  info.user = "tester";
  info.root_node_id = account.root_id;
  info.root_wrapped_key = account.root_wrapped_key;
  return {info, profile::ProfileKeys{account.master_key, SecureBytes(32, 1), account.journal_key}};
}

}  // namespace

TestMount::TestMount(remote::RemoteApi& remote, const TestAccount& account, const std::filesystem::path& profile,
                     profile::ClientConfig config)
    : paths_(profile), config_(config), login_(login_for(account)) {
  std::filesystem::create_directories(profile);
  auto stores = mount::ProfileStores::open(paths_, config_, login_);
  REQUIRE(stores.ok());
  stores_ = std::move(stores).value();
  auto root = mount::load_root(remote, *stores_.guard, login_.info, login_.keys.master_key);
  REQUIRE_MESSAGE(root.ok(), (root.ok() ? "" : root.error().message));
  runtime_ = std::make_unique<mount::MountRuntime>(mount::Remotes{remote, remote, connectivity_}, stores_, config_);
  runtime_->open_root(std::move(root).value());
}

TestMount::~TestMount() { runtime_.reset(); }

void TestMount::drain() {
  auto drained = runtime_->drain(std::chrono::steady_clock::now() + std::chrono::seconds(20));
  REQUIRE_MESSAGE(drained.ok(), (drained.ok() ? "" : drained.error().message));
}

std::uint64_t TestMount::write_file(std::uint64_t parent, const std::string& name, const Bytes& content) {
  auto created = vfs().create(parent, name, 0644, O_WRONLY | O_CREAT, {1000, 1000});
  REQUIRE(created.ok());
  auto written = vfs().write(created->open.fh, 0, content, {1000, 1000});
  REQUIRE(written.ok());
  REQUIRE(vfs().flush(created->open.fh).ok());
  REQUIRE(vfs().release(created->open.fh).ok());
  return created->entry.ino;
}

Bytes TestMount::read_file(std::uint64_t ino) {
  auto opened = vfs().open(ino, O_RDONLY);
  REQUIRE(opened.ok());
  Bytes content;
  Bytes buffer(100000);
  for (std::uint64_t offset = 0;;) {
    auto n = vfs().read(opened->fh, offset, buffer);
    REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : n.error().message));
    if (*n == 0) break;
    content.insert(content.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
    offset += *n;
  }
  REQUIRE(vfs().release(opened->fh).ok());
  return content;
}

std::uint64_t TestMount::lookup(std::uint64_t parent, const std::string& name) {
  auto entry = vfs().lookup(parent, name);
  REQUIRE_MESSAGE(entry.ok(), (entry.ok() ? "" : entry.error().message));
  return entry->ino;
}

std::vector<std::string> names_in(vfs::Vfs& vfs, std::uint64_t ino) {
  auto fh = vfs.opendir(ino);
  REQUIRE(fh.ok());
  std::vector<std::string> names;
  std::vector<std::uint64_t> looked_up;
  REQUIRE(vfs.readdir(*fh, 0, true, [&](const vfs::DirEntryReply& entry) {
               names.push_back(entry.name);
               if (entry.entry) looked_up.push_back(entry.entry->ino);
               return true;
             }).ok());
  vfs.releasedir(*fh);
  for (auto looked : looked_up) vfs.forget(looked, 1);
  return names;
}

Bytes pattern_bytes(std::size_t size, unsigned seed) {
  Bytes bytes(size);
  std::uint32_t state = seed * 2654435761u + 1;
  for (auto& b : bytes) {
    state = state * 1103515245u + 12345u;
    b = static_cast<std::uint8_t>(state >> 16);
  }
  return bytes;
}

}  // namespace coffer::test
