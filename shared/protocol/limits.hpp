#pragma once

#include <cstddef>

namespace coffer::protocol {

// Size bounds of the wire format (docs/api.md, "Limits"). Bytes are decoded sizes.
inline constexpr std::size_t kAuthKeyBytes = 32;
inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kMinSaltBytes = 16;
inline constexpr std::size_t kMaxSaltBytes = 64;
inline constexpr std::size_t kMaxKeyBundleBytes = 16 * 1024;
inline constexpr std::size_t kMinWrappedKeyBytes = 32;
inline constexpr std::size_t kMaxWrappedKeyBytes = 1024;
inline constexpr std::size_t kMaxAttributesBytes = 256 * 1024;
inline constexpr std::size_t kMaxManifestBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxNameTokenChars = 4096;
inline constexpr std::size_t kMaxDeviceChars = 128;
inline constexpr std::size_t kMaxInviteChars = 128;
inline constexpr std::size_t kMaxChunksPerVersion = 1 << 18;
inline constexpr std::size_t kMaxBatchOps = 10000;
// A batch changes at most two folders per op; a sealed folder record is about 170 bytes.
inline constexpr std::size_t kMaxFolderUpdates = 2 * kMaxBatchOps;
inline constexpr std::size_t kMaxFolderRecordBytes = 1024;
inline constexpr std::size_t kDefaultEntryPage = 1000;
inline constexpr std::size_t kMaxEntryPage = 5000;
inline constexpr std::size_t kMaxChangePage = 1000;
inline constexpr std::size_t kMaxChangeWaitSeconds = 60;

}  // namespace coffer::protocol
