#pragma once

#include "util/error.hpp"

namespace coffer::server::http {

// The one mapping from Coffer's error kinds to HTTP (docs/api.md, "Errors"): the status and
// the "error" code of the body.
int http_status(Errc code);
const char* error_code(Errc code);
// Whether the message may go to the client: errors of the server itself (disk, database,
// internal) answer a fixed text, and their detail goes only to the log.
bool message_is_public(Errc code);

}  // namespace coffer::server::http
