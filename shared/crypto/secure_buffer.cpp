#include "crypto/secure_buffer.hpp"

#include <openssl/crypto.h>

namespace coffer {

// OPENSSL_cleanse is written so that the compiler cannot drop the stores as dead.
void secure_zero(void* data, std::size_t size) noexcept {
  if (data != nullptr && size != 0) OPENSSL_cleanse(data, size);
}

}  // namespace coffer
