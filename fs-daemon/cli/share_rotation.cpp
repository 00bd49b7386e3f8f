#include "cli/share_rotation.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "cli/daemon_commands.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace coffer::cli {
namespace {

namespace fs = std::filesystem;

struct Grant {
  std::string relative;  // below the rotated path ("" for the path itself)
  std::string grantee;
  std::string role;
};

// The grants on the rotated node and below it, from the daemon's opened listing.
std::vector<Grant> grants_below(const char* command, const profile::ProfilePaths& paths, const std::string& cloud) {
  auto answer = ask_daemon(command, paths, {{"request", "shares"}});
  std::vector<Grant> grants;
  for (const auto& line : answer.value("outgoing", nlohmann::json::array())) {
    const auto path = line.value("path", std::string());
    if (path != cloud && path.rfind(cloud + "/", 0) != 0) continue;
    grants.push_back({path.substr(cloud.size()), line.value("grantee", std::string()), line.value("role", std::string())});
  }
  return grants;
}

// `cp -a`: modes, times, extended attributes, symlinks, hard links and special files kept, as
// coreutils does it best; every file it writes through the mount gets a new node and key.
Status copy_tree(const fs::path& from, const fs::path& to) {
  pid_t child = ::fork();
  if (child == 0) {
    ::execlp("cp", "cp", "-a", "--no-target-directory", "--", from.c_str(), to.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  if (child < 0 || ::waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return make_error(Errc::io, "copying " + from.string() + " through the mount failed (see cp's message above)");
  }
  return {};
}

std::string random_suffix() { return crypto::hex_encode(crypto::random_bytes(6)); }

void reshare(const char* command, const profile::ProfilePaths& paths, const std::string& cloud,
             const std::vector<Grant>& grants) {
  for (const auto& grant : grants) {
    ask_daemon(command, paths,
               {{"request", "share"}, {"path", cloud + grant.relative}, {"user", grant.grantee}, {"role", grant.role}});
  }
}

// The old nodes leave for the trash; their grants go first, so that nothing of the old tree
// stays reachable to a grantee while it waits there.
void revoke_old(const profile::ProfilePaths& paths, const std::string& old_cloud, const std::vector<Grant>& grants) {
  for (const auto& grant : grants) {
    nlohmann::json request = {{"request", "unshare"}, {"path", old_cloud + grant.relative}, {"user", grant.grantee}};
    auto answer = daemon_request(paths, request.dump(), std::chrono::seconds(600));
    if (!answer || answer->contains("error")) {
      std::cerr << "coffer share rotate: the old grant of " << grant.grantee << " on " << old_cloud + grant.relative
                << " was not revoked: " << (answer ? answer->value("error", std::string()) : answer.error().message)
                << "\n";
    }
  }
}

}  // namespace

void rotate_share(const char* command, const profile::ProfilePaths& paths, const std::string& mountpoint,
                  const std::string& cloud) {
  if (cloud == "/") fail(command, "the root folder is never shared, so it needs no rotation");
  const auto grants = grants_below(command, paths, cloud);
  const fs::path local = fs::path(mountpoint) / fs::path(cloud).relative_path();
  std::error_code ec;
  const auto kind = fs::symlink_status(local, ec).type();
  if (ec || (kind != fs::file_type::directory && kind != fs::file_type::regular)) {
    fail(command, cloud + ": not a folder or file in the mount");
  }
  const std::string temporary_name = "." + local.filename().string() + ".rotating-" + random_suffix();
  const fs::path copy = local.parent_path() / temporary_name;
  if (auto copied = copy_tree(local, copy); !copied) {
    fs::remove_all(copy, ec);
    fail(command, copied.error().message + "; " + cloud + " is unchanged");
  }
  if (::renameat2(AT_FDCWD, local.c_str(), AT_FDCWD, copy.c_str(), RENAME_EXCHANGE) != 0) {
    fs::remove_all(copy, ec);
    fail(command, "cannot swap the copy into place: " + std::string(std::strerror(errno)) + "; " + cloud + " is unchanged");
  }
  const std::string old_cloud = (fs::path(cloud).parent_path() / temporary_name).generic_string();
  reshare(command, paths, cloud, grants);
  revoke_old(paths, old_cloud, grants);
  fs::remove_all(copy, ec);
  if (ec) std::cerr << "coffer share rotate: the old tree " << old_cloud << " was not removed: " << ec.message() << "\n";
  auto synced = daemon_request(paths, "sync 3600", std::chrono::seconds(3700));
  const bool drained = synced && synced->value("drained", false);
  std::cout << "Rotated " << cloud << ": everything in it has new keys, " << grants.size()
            << (grants.size() == 1 ? " grant was" : " grants were") << " made again under them, and the old tree is in "
            << "the trash (its versions stay readable to you there).\n";
  if (!drained) std::cout << "Some of the new copy is still uploading; `coffer status` shows what is left.\n";
}

}  // namespace coffer::cli
