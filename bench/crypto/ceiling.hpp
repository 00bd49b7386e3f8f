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
// The same with the SHA-256 pass a chunk id adds on upload (DESIGN.md section 3). Reads no
// longer hash the id: the manifest names each chunk's MAC.
OperationFactory cbc_encrypt_hmac_sha256();

}  // namespace coffer::bench
