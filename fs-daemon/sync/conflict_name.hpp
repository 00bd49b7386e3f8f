#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace coffer::sync {

// The name a local edit is kept under when the server moved on (DESIGN.md section 4):
// `NAME (conflicted copy HOST YYYY-MM-DD HHMMSS).EXT`, where EXT is what follows the last dot
// of a name that has one and does not start with it (`.bashrc` has none), HOST this device's
// name and the time local. `attempt` 2, 3, ... for a name already taken: `... HHMMSS 2).EXT`.
// At most 255 bytes: a longer NAME is cut (at a UTF-8 character's start), then EXT; a '/' in
// HOST becomes '-'.
std::string conflicted_copy_name(std::string_view name, std::string_view host, const std::tm& local_time,
                                 unsigned attempt);

}  // namespace coffer::sync
