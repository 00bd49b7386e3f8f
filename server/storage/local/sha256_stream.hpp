#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace coffer::server::storage {

// Incremental SHA-256 (OpenSSL EVP) for verifying blob ids while bytes stream in.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void update(std::string_view data);
  std::string hex_digest();  // finishes the stream

  static std::string hex_of(std::string_view data);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace coffer::server::storage
