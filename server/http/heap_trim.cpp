#include "server/http/heap_trim.hpp"

#include <malloc.h>
#include <unistd.h>

#include <fstream>

namespace coffer::server::http {

namespace {

// Resident bytes from /proc/self/statm (its second field, in pages); 0 if it cannot be read.
std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size_pages = 0;
  std::uint64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

bool trim_heap_above(std::uint64_t resident_limit) {
  if (resident_bytes() <= resident_limit) return false;
  malloc_trim(0);
  return true;
}

}  // namespace coffer::server::http
