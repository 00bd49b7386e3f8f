#pragma once

#include <nlohmann/json.hpp>

#include "client/account_types.hpp"
#include "remote/types.hpp"

// JSON forms of the docs/api.md bodies. The from_json functions throw nlohmann::json
// exceptions on malformed input; ApiClient turns those into Errc::internal.
namespace coffer::remote {

void from_json(const nlohmann::json& j, NodeInfo& node);
void from_json(const nlohmann::json& j, EntryInfo& entry);
nlohmann::json to_json(const CreateNode& request);
nlohmann::json to_json(const SealedName& entry);
nlohmann::json to_json(const SetAttributes& request);
nlohmann::json to_json(const CommitVersion& request);
nlohmann::json to_json(const MoveEntry& request);
nlohmann::json to_json(const BatchOp& op);
nlohmann::json to_json(const FolderUpdate& update);
NodeType node_type_from(const std::string& text);

}  // namespace coffer::remote

namespace coffer::client {

Bytes decode_b64(const nlohmann::json& value);  // throws on bad input
std::string encode_b64(ByteView data);

nlohmann::json to_json(const crypto::KdfParams& params);
crypto::KdfParams kdf_from_json(const nlohmann::json& j);
void from_json(const nlohmann::json& j, Session& session);
void from_json(const nlohmann::json& j, SessionInfo& session);
void from_json(const nlohmann::json& j, Account& account);
nlohmann::json to_json(const Registration& registration);

}  // namespace coffer::client
