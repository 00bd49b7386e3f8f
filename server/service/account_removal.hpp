#pragma once

#include "server/service/caller.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// Deletes the caller's account with everything it owns (docs/server.md, "Deleting an account")
// in one write transaction, so a crash or a failure leaves the whole account or nothing of it.
// The files of the blobs that nothing needs any more are removed after the commit, while the
// transaction still keeps this process's other writers out: no upload can publish the same
// bytes again in between and lose them to the removal. Errc::last_admin when the caller is the
// only enabled admin. The caller's proof of the password is checked before (AuthService).
Outcome<Done> remove_account(Context& context, const Caller& caller);

}  // namespace coffer::server::service
