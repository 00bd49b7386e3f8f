#pragma once

// Internal to coffer_crypto: the attributes block shared by manifests and attribute records.

#include "crypto/attributes.hpp"
#include "crypto/byte_codec.hpp"

namespace coffer::crypto {

void write_attributes(ByteWriter& out, const Attributes& attributes);
// Reads one attributes block; on malformed input marks `in` failed and returns false.
bool read_attributes(ByteReader& in, Attributes& attributes);
// The node id field: u16 length (1 to 255) then the bytes.
void write_node_id(ByteWriter& out, const std::string& node_id);
std::string read_node_id(ByteReader& in);

}  // namespace coffer::crypto
