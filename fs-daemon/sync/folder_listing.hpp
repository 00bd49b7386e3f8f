#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cache/version_guard.hpp"
#include "crypto/fernet.hpp"
#include "crypto/folder_record.hpp"
#include "remote/remote_api.hpp"

namespace coffer::sync {

// A folder's entries as the server listed them, checked against the folder's sealed record.
struct VerifiedFolder {
  std::uint64_t revision = 0;
  std::vector<remote::EntryInfo> entries;
  crypto::FolderCommitment commitment;
};

// Lists every page of a folder and checks the whole against its sealed record: all pages come
// from one revision (listed again, up to three times, when the folder changed meanwhile); the
// record opens under the folder key and names this folder and that revision; the revision is
// not below the highest this profile has seen (the guard then remembers it); and the record's
// commitment and count are those of the listed entries. Errc::integrity, with a message that
// names the folder and the check, for tampering, a rollback, or an entry added, dropped or
// replaced. Each entry's own seal is the caller's to open (vfs/entry_codec.hpp).
Result<VerifiedFolder> list_verified_folder(remote::RemoteApi& remote, cache::VersionGuard& guard,
                                            const std::string& folder_id, const crypto::FernetKey& folder_key);

// The folder's next record, committing to `commitment` at `revision`.
Bytes seal_folder_state(const crypto::FernetKey& folder_key, const std::string& folder_id, std::uint64_t revision,
                        const crypto::FolderCommitment& commitment);

}  // namespace coffer::sync
