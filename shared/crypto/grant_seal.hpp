#pragma once

#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "crypto/keys.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

// What a granter tells a grantee when sharing a node (docs/crypto.md, "Sealed grants"): the
// node's key with everything that places it, so the grantee adopts it for this node only.
struct GrantPayload {
  std::string node_id;  // the shared node
  std::string owner;    // the node owner's user name
  std::string grantee;  // the grantee's user name
  std::string name;     // the node's name as the granter saw it (a valid name)
  bool is_folder = false;
  FernetKey key;        // the node key
};

// Sealed for the grantee's X25519 public key and authenticated to the granter's identity: the
// wrapping key comes from an ephemeral agreement and a static one between the two identities,
// so only the granter (or the grantee) can make a grant that opens, never the server. The
// grantee's key comes from the server: a malformed one is Errc::invalid_argument. Names must be
// user names and a valid node name; anything else is a caller bug (std::invalid_argument).
Result<Bytes> seal_grant(const X25519KeyPair& granter, ByteView grantee_public_key, const GrantPayload& payload);

// Errc::integrity when the grant does not open with this pair of identities, is malformed, or
// names another node or grantee than expected.
Result<GrantPayload> open_grant(const X25519KeyPair& grantee, ByteView granter_public_key, ByteView sealed,
                                std::string_view expected_node_id, std::string_view expected_grantee);

}  // namespace coffer::crypto
