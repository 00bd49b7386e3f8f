#pragma once

// The machine's ceiling for Fernet-shaped work, measured through OpenSSL's EVP interface
// directly: the same primitives Fernet needs, with nothing of Coffer's around them.

#include "timing.hpp"

namespace coffer::bench {

OperationFactory cbc_encrypt_only();
OperationFactory cbc_decrypt_only();
OperationFactory hmac_only();
OperationFactory sha256_only();
OperationFactory cbc_encrypt_then_hmac();  // the encrypt ceiling
OperationFactory hmac_then_cbc_decrypt();  // the decrypt ceiling
// The same with the SHA-256 pass a chunk id adds (DESIGN.md section 3).
OperationFactory cbc_encrypt_hmac_sha256();
OperationFactory sha256_hmac_cbc_decrypt();

}  // namespace coffer::bench
