#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/keys.hpp"
#include "profile/known_keys.hpp"
#include "remote/remote_api.hpp"
#include "remote/share_api.hpp"
#include "sharing/incoming_shares.hpp"
#include "vfs/vfs.hpp"

namespace coffer::sharing {

struct ShareManagerServices {
  vfs::Vfs& vfs;
  remote::RemoteApi& remote;  // the node's owner, for the grant
  remote::ShareApi& shares;
  profile::KnownKeys& known_keys;
  IncomingShares& incoming;
  const crypto::X25519KeyPair& identity;
  std::string user;  // this profile's user name
};

// A grant made by `share`, with what the grantee's key looked like.
struct ShareMade {
  remote::ShareInfo share;
  std::string fingerprint;  // the grantee's key
  profile::KeySighting sighting = profile::KeySighting::first;
};

// One grant as `coffer shares` shows it: the path opened from the sealed entries the server
// listed (or why it could not be), the name and owner for a share with this user.
struct ShareLine {
  remote::ShareInfo share;
  std::string path;   // outgoing: the cloud path; incoming: "Shared with me/OWNER/NAME"
  std::string error;  // why the path or grant did not open
};

struct ShareListing {
  std::vector<ShareLine> outgoing;
  std::vector<ShareLine> incoming;
};

// The share commands (docs/client.md "Sharing"): grants made from paths of the mount, each key
// sealed for a grantee whose public key passed the profile's known keys (crypto/grant_seal.hpp).
class ShareManager {
 public:
  explicit ShareManager(ShareManagerServices services) : services_(std::move(services)) {}

  Result<ShareMade> share(const std::string& path, const std::string& grantee, remote::ShareRole role);
  // Revokes `grantee`'s grant on the node at `path` (the grantee may name themself, to leave).
  Status unshare(const std::string& path, const std::string& grantee);
  Result<ShareListing> list();

 private:
  std::string open_path(const remote::ShareInfo& share, const vfs::NodeRef& root,
                        const std::vector<IncomingShare>& incoming, std::string& error);

  ShareManagerServices services_;
};

}  // namespace coffer::sharing
