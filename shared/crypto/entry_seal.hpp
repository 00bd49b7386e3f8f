#pragma once

#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "crypto/hash.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

// A directory entry's sealed key (the API's `wrapped_key`): the node key together with
// everything that places it, sealed as one token under the parent folder's `entry` subkey
// (crypto/subkeys.hpp), so that a server cannot swap entries between names, move an entry to
// another folder, or re-point it at another node unnoticed (DESIGN.md section 2):
//   plaintext = 'E' (0x45) || format version || parent id || node id || name tag (32 raw bytes)
//               || node key (32 bytes)
// Ids are encoded as everywhere in the records (u16 length, then the bytes). The entry's
// encrypted name is bound through the tag: the client recomputes the tag from the decrypted
// name and compares.
struct EntryBinding {
  std::string parent_id;
  std::string node_id;
  std::string name_tag;  // 64 lowercase hex characters, as on the wire
};

// Throws std::invalid_argument for ids outside 1..255 bytes or a tag that is not 64 hex
// characters: a caller bug.
Bytes seal_entry_key(const FernetKey& parent_key, const EntryBinding& binding, const FernetKey& node_key);
// Errc::integrity when the token does not verify under the parent's key, is not an entry
// record of a known format version, or binds another parent, node or name tag than `expected`.
Result<FernetKey> open_entry_key(const FernetKey& parent_key, const EntryBinding& expected, ByteView sealed);

// The MAC of a raw Fernet token (its last 32 bytes); a folder's commitment is built from the
// entries' MACs (crypto/folder_record.hpp). Errc::integrity for a token shorter than a Fernet
// token can be.
Result<Sha256Digest> token_mac(ByteView raw_token);

}  // namespace coffer::crypto
