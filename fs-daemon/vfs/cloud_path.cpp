#include "vfs/cloud_path.hpp"

namespace coffer::vfs {

Result<std::vector<std::string>> cloud_path_names(const std::string& path) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string name = path.substr(start, end - start);
    start = end + 1;
    if (name.empty() || name == ".") continue;
    if (name == "..") return make_error(Errc::invalid_argument, path + ": '..' is not allowed in a cloud path");
    names.push_back(std::move(name));
  }
  return names;
}

std::pair<std::string, std::string> cloud_parent_and_name(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return {"/", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace coffer::vfs
