#pragma once

#include <string_view>

// Quota accounting in SQL (docs/server.md, "Quota"). users.used is every byte the server keeps
// for the user, maintained by triggers on the rows that hold them (schema.cpp, step 5), so that
// no code path can keep a byte uncharged. A row costs the length of the text it keeps (every
// stored value is ASCII: canonical base64url or hex, docs/api.md), charged to the owner of the
// tree it belongs to; a held blob costs its size, charged to the holder. The quota guard refuses
// any statement that raises a user's usage past their quota; one that lowers it always goes
// through, even over the quota.
//
// The macros expand to SQL text; `r` names a row ("NEW", "OLD" or a table alias).

#define COFFER_NODE_BYTES(r) "(length(" r ".id) + length(" r ".attributes) + length(" r ".folder_record))"
#define COFFER_ENTRY_BYTES(r)                                                                                   \
  "(length(" r ".parent_id) + length(" r ".name_tag) + length(" r ".node_id) + length(" r ".name) + length(" r \
  ".wrapped_key))"
// A version keeps its manifest and its chunk list (one 64-character blob id per chunk).
#define COFFER_VERSION_BYTES(r) "(length(" r ".node_id) + length(" r ".manifest) + 64 * " r ".chunk_count)"
#define COFFER_OWNER_OF(node) "(SELECT owner_id FROM nodes WHERE id = " node ")"
#define COFFER_BLOB_SIZE(blob) "(SELECT size FROM blobs WHERE id = " blob ")"
#define COFFER_CHARGE(user, delta) "UPDATE users SET used = used + " delta " WHERE id = " user ";"

// The usage counted as schema step 5 counted it, before the entry history (step 10) existed; a
// released step is never edited, so step 5 keeps this text.
#define COFFER_COUNTED_USAGE_BEFORE_HISTORY(user)                                                                \
  "(coalesce((SELECT sum(b.size) FROM user_blobs u JOIN blobs b ON b.id = u.blob_id WHERE u.user_id = " user    \
  "), 0) + coalesce((SELECT sum(" COFFER_NODE_BYTES("n") ") FROM nodes n WHERE n.owner_id = " user              \
  "), 0) + coalesce((SELECT sum(" COFFER_ENTRY_BYTES("e") ") FROM entries e JOIN nodes p ON p.id = e.parent_id " \
  "WHERE p.owner_id = " user "), 0) + coalesce((SELECT sum(" COFFER_ENTRY_BYTES("t")                            \
  ") FROM trash t JOIN nodes n ON n.id = t.node_id WHERE n.owner_id = " user "), 0) + coalesce((SELECT sum(" \
  COFFER_VERSION_BYTES("v") ") FROM versions v JOIN nodes n ON n.id = v.node_id WHERE n.owner_id = " user "), 0))"

// The usage counted as schema step 10 counted it, before grants were charged (step 11): the
// above and the entry history's rows, which are charged like entries to the owner they name.
#define COFFER_COUNTED_USAGE_BEFORE_GRANTS(user)                                                   \
  "(" COFFER_COUNTED_USAGE_BEFORE_HISTORY(user) " + coalesce((SELECT sum(" COFFER_ENTRY_BYTES("h") \
  ") FROM entry_history h WHERE h.owner_id = " user "), 0))"

// A grant keeps the node id and the sealed grant, charged to the node's owner (schema step 11).
#define COFFER_GRANT_BYTES(r) "(length(" r ".node_id) + length(" r ".wrapped_key))"

// What users.used must be for the user whose id is the SQL expression `user`, counted from the
// rows: everything above and the grants on the user's nodes.
#define COFFER_COUNTED_USAGE(user)                                                                  \
  "(" COFFER_COUNTED_USAGE_BEFORE_GRANTS(user) " + coalesce((SELECT sum(" COFFER_GRANT_BYTES("g") \
  ") FROM grants g JOIN nodes n ON n.id = g.node_id WHERE n.owner_id = " user "), 0))"

// The quota guard's RAISE message, which sqlite_error (connection.cpp) maps to Errc::quota_exceeded.
#define COFFER_QUOTA_GUARD_MESSAGE "coffer_quota_exceeded"

namespace coffer::server::storage::sqlite {
inline constexpr std::string_view kQuotaGuardMessage = COFFER_QUOTA_GUARD_MESSAGE;
}  // namespace coffer::server::storage::sqlite
