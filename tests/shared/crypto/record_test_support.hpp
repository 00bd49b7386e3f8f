#pragma once

// Sample records shared by the record tests and the golden tests.

#include "crypto/encoding.hpp"
#include "crypto/fernet.hpp"
#include "crypto/record_format.hpp"
#include "crypto/subkeys.hpp"
#include "crypto_test_support.hpp"

namespace coffer::crypto::testing {

inline constexpr const char* kNodeId = "00112233445566778899aabbccddeeff";

inline const FernetKey& record_key() {
  static const FernetKey key = key_from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  return key;
}

inline Bytes as_bytes_vector(std::string_view text) {
  const ByteView view = as_bytes(text);
  return Bytes(view.begin(), view.end());
}

inline ChunkId filled_id(std::uint8_t byte) {
  ChunkId id;
  id.digest.fill(byte);
  return id;
}

inline ChunkRef filled_ref(std::uint8_t id_byte, std::uint8_t mac_byte, std::uint32_t data_blocks = 1) {
  ChunkRef ref{filled_id(id_byte), {}, data_blocks};
  ref.mac.fill(mac_byte);
  return ref;
}

// Three chunks, the middle one a hole; the first chunk is data throughout (256 blocks of 4 KiB),
// the last (402 848 bytes, at most 99 blocks) holds 7 blocks of data.
inline Manifest sample_manifest() {
  Manifest manifest;
  manifest.node_id = kNodeId;
  manifest.version = 7;
  manifest.size = 2'500'000;
  manifest.chunk_size = 1u << 20;
  manifest.chunks = {filled_ref(0x11, 0xa1, 256), std::nullopt, filled_ref(0x33, 0xa3, 7)};
  manifest.attributes.mode = 0100644;
  manifest.attributes.uid = 1000;
  manifest.attributes.gid = 1000;
  manifest.attributes.atime = {1'700'000'000, 123'456'789};
  manifest.attributes.mtime = {1'700'000'001, 5};
  manifest.attributes.ctime = {-1, 999'999'999};
  manifest.attributes.xattrs = {{"user.a", as_bytes_vector("1")}, {"user.b", {}}};
  return manifest;
}

inline AttributeRecord sample_symlink_record() {
  AttributeRecord record;
  record.node_id = kNodeId;
  record.revision = 3;
  record.attributes.mode = 0120777;
  record.attributes.atime = {0, 0};
  record.attributes.mtime = {1, 1};
  record.attributes.ctime = {2, 2};
  record.attributes.symlink_target = "../target";
  return record;
}

// The node key sealed in the sample entry.
inline const FernetKey& entry_node_key() {
  static const FernetKey key = key_from_base64("ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM=");
  return key;
}

inline EntryBinding sample_entry_binding() {
  return {"aabbccddeeff00112233445566778899", "0123456789abcdef0123456789abcdef",
          "5c1f0a1e0d1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5"};
}

inline FolderRecord sample_folder_record() {
  FolderRecord record;
  record.node_id = kNodeId;
  record.revision = 41;
  record.entry_count = 3;
  record.commitment.fill(0x5a);
  return record;
}

inline AttributeRecord sample_device_record() {
  AttributeRecord record;
  record.node_id = kNodeId;
  record.revision = 9;
  record.attributes.mode = 020620;  // a character device, rw--w----
  record.attributes.uid = 0;
  record.attributes.gid = 5;
  record.attributes.rdev = 0x0102030405060708;  // every byte distinct, to pin the byte order
  record.attributes.atime = {1'700'000'000, 1};
  record.attributes.mtime = {1'700'000'000, 2};
  record.attributes.ctime = {1'700'000'000, 3};
  return record;
}

// Seals an arbitrary plaintext as the given kind of record would be, to reach the decoder's
// checks behind a valid MAC.
inline Bytes seal_plaintext(KeyPurpose purpose, ByteView plaintext) {
  return fernet_encrypt_raw(derive_subkey(record_key(), purpose), plaintext);
}

}  // namespace coffer::crypto::testing
