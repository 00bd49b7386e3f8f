#include "sync/folder_listing.hpp"

#include "crypto/entry_seal.hpp"

namespace coffer::sync {
namespace {

constexpr unsigned kPage = 5000;
constexpr int kAttempts = 3;

Error tampered(const std::string& folder_id, const std::string& what) {
  return make_error(Errc::integrity, "folder " + folder_id + ": " + what);
}

// Every page of the listing, or nothing when the folder changed between pages.
Result<std::optional<VerifiedFolder>> list_pages(remote::RemoteApi& remote, const std::string& folder_id, Bytes& record) {
  VerifiedFolder folder;
  std::optional<std::string> after;
  bool first = true;
  do {
    auto page = remote.list_entries(folder_id, after, kPage);
    if (!page) return std::move(page).error();
    if (!first && page->folder.revision != folder.revision) return std::optional<VerifiedFolder>();
    folder.revision = page->folder.revision;
    record = std::move(page->folder.record);
    first = false;
    for (auto& entry : page->entries) folder.entries.push_back(std::move(entry));
    after = page->next;
  } while (after);
  return std::optional<VerifiedFolder>(std::move(folder));
}

Status check_record(const VerifiedFolder& folder, const std::string& folder_id, const crypto::FernetKey& key,
                    ByteView sealed) {
  auto record = crypto::open_folder_record(key, folder_id, sealed);
  if (!record) return tampered(folder_id, "the folder record: " + record.error().message);
  if (record->revision != folder.revision) return tampered(folder_id, "the sealed revision differs from the server's");
  if (record->entry_count != folder.commitment.size() || record->commitment != folder.commitment.digest()) {
    return tampered(folder_id, "the listing (" + std::to_string(folder.commitment.size()) +
                                   " entries) does not match the sealed record of revision " +
                                   std::to_string(record->revision) + " (" + std::to_string(record->entry_count) +
                                   " entries): an entry was added, dropped or replaced");
  }
  return {};
}

// An entry's place in its folder's commitment: its tag and the MAC of its sealed key.
Status add_to_commitment(crypto::FolderCommitment& commitment, const std::string& name_tag, ByteView sealed_key) {
  auto tag = crypto::FolderCommitment::tag_from_hex(name_tag);
  if (!tag) return std::move(tag).error();
  auto mac = crypto::token_mac(sealed_key);
  if (!mac) return std::move(mac).error();
  if (commitment.find(*tag)) return make_error(Errc::integrity, "the name tag " + name_tag + " is listed twice");
  commitment.set(*tag, *mac);
  return {};
}

}  // namespace

Result<VerifiedFolder> list_verified_folder(remote::RemoteApi& remote, cache::VersionGuard& guard,
                                            const std::string& folder_id, const crypto::FernetKey& folder_key) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Bytes record;
    auto listed = list_pages(remote, folder_id, record);
    if (!listed) return std::move(listed).error();
    if (!*listed) continue;
    VerifiedFolder folder = std::move(**listed);
    for (const auto& entry : folder.entries) {
      if (auto added = add_to_commitment(folder.commitment, entry.name_tag, entry.wrapped_key); !added) {
        return tampered(folder_id, added.error().message);
      }
    }
    COFFER_TRY_STATUS(check_record(folder, folder_id, folder_key, record));
    COFFER_TRY_STATUS(guard.check_folder_revision(folder_id, folder.revision));
    return folder;
  }
  return make_error(Errc::unavailable, "folder " + folder_id + " kept changing while it was listed");
}

Bytes seal_folder_state(const crypto::FernetKey& folder_key, const std::string& folder_id, std::uint64_t revision,
                        const crypto::FolderCommitment& commitment) {
  return crypto::seal_folder_record(folder_key,
                                    crypto::FolderRecord{folder_id, revision, commitment.size(), commitment.digest()});
}

}  // namespace coffer::sync
