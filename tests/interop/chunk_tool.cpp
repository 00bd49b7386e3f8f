// A test helper for tests/interop: the raw chunk tokens of crypto/chunk.hpp on the command
// line, so Python can check them against cryptography.fernet.
//   coffer_chunk_tool encrypt KEY_FILE STORED_OUT < plaintext   prints the chunk id and MAC
//   coffer_chunk_tool decrypt KEY_FILE MAC < stored > plaintext  (the MAC a manifest names)

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "crypto/chunk.hpp"
#include "crypto/encoding.hpp"

namespace {

using coffer::Bytes;
using namespace coffer::crypto;

Bytes read_stdin() {
  std::cin >> std::noskipws;
  return Bytes(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

int fail(const std::string& message) {
  std::cerr << "coffer_chunk_tool: " << message << '\n';
  return 1;
}

int encrypt(const FernetKey& key, const char* stored_path) {
  const EncryptedChunk chunk = encrypt_chunk(key, read_stdin());
  std::ofstream out(stored_path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(chunk.stored.data()), static_cast<std::streamsize>(chunk.stored.size()));
  if (!out.flush()) return fail("cannot write the stored chunk");
  std::cout << chunk.id.hex() << ' ' << hex_encode(chunk.ref().mac) << '\n';
  return 0;
}

int decrypt(const FernetKey& key, const char* mac_hex) {
  auto mac = ChunkId::from_hex(mac_hex);  // a MAC has a chunk id's form: 32 bytes, 64 hex characters
  if (!mac) return fail(mac.error().message);
  auto plaintext = decrypt_chunk(key, mac->digest, read_stdin());
  if (!plaintext) return fail(plaintext.error().message);
  std::cout.write(reinterpret_cast<const char*>(plaintext->data()), static_cast<std::streamsize>(plaintext->size()));
  return std::cout.flush() ? 0 : fail("cannot write the plaintext");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return fail("usage: coffer_chunk_tool encrypt|decrypt KEY_FILE STORED_OUT|MAC");
  std::ifstream key_file(argv[2]);
  std::string key_text;
  key_file >> key_text;
  auto key = FernetKey::from_base64(key_text);
  if (!key) return fail(key.error().message);
  const std::string command = argv[1];
  if (command == "encrypt") return encrypt(*key, argv[3]);
  if (command == "decrypt") return decrypt(*key, argv[3]);
  return fail("unknown command " + command);
}
