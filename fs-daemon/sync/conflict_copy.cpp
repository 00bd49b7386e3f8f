#include "sync/conflict_copy.hpp"

#include "crypto/manifest.hpp"
#include "sync/op_sender.hpp"
#include "sync/record_meta.hpp"

namespace coffer::sync {
namespace {

Result<Bytes> stored_bytes_of(remote::RemoteApi& remote, const Journal& journal, const CommitOp& op,
                              const std::string& id) {
  for (const auto& blob : op.inline_blobs) {
    if (blob.id == id) return blob.data;
  }
  if (auto local = journal.read_blob(id)) return Bytes(local->begin(), local->end());
  return remote.get_blob(id);
}

Bytes sealed_record(const CommitOp& op, const NewFile& file) {
  crypto::Attributes attributes = op.attributes;
  set_content_meta(attributes, {op.size, 1});
  return crypto::seal_attribute_record(file.key, {file.node_id, 1, std::move(attributes)});
}

}  // namespace

Result<NewFile> reseal_for_new_file(remote::RemoteApi& remote, const Journal& journal, const CommitOp& op,
                                    std::string node_id) {
  auto old_key = op_key(op.node_key);
  if (!old_key) return std::move(old_key).error();
  NewFile file{std::move(node_id), crypto::FernetKey::generate(), {}};
  file.chunks.reserve(op.chunks.size());
  for (const auto& chunk : op.chunks) {
    if (!chunk) {
      file.chunks.emplace_back();
      continue;
    }
    const std::string id = chunk->id.hex();
    auto stored = stored_bytes_of(remote, journal, op, id);
    if (!stored) {
      if (is_transient(stored.error().code)) return std::move(stored).error();
      return make_error(stored.error().code, "chunk " + id + " of the edit: " + stored.error().message);
    }
    auto plain = crypto::decrypt_chunk(*old_key, chunk->mac, *stored);
    if (!plain) return make_error(Errc::integrity, "chunk " + id + " of the edit does not open: " + plain.error().message);
    crypto::EncryptedChunk sealed = crypto::encrypt_chunk(file.key, *plain);
    COFFER_TRY_STATUS(remote.put_blob(sealed.id.hex(), sealed.stored));
    file.chunks.emplace_back(sealed.ref());
  }
  return file;
}

std::vector<remote::BatchOp> new_file_request(const CommitOp& op, const NewFile& file, remote::SealedName entry) {
  remote::CreateNode create{file.node_id, remote::NodeType::file, std::move(entry), sealed_record(op, file), 1};
  crypto::Manifest manifest{file.node_id, 1, op.size, op.chunk_size, file.chunks, op.attributes};
  remote::CommitVersion commit;
  commit.node_id = file.node_id;
  commit.base_version = 0;
  commit.version = 1;
  commit.manifest = crypto::seal_manifest(file.key, manifest);
  for (const auto& chunk : file.chunks) {
    if (chunk) commit.chunks.push_back(chunk->id.hex());
  }
  return {std::move(create), std::move(commit)};
}

remote::NodeInfo new_file_node(const CommitOp& op, const NewFile& file) {
  remote::NodeInfo info;
  info.node_id = file.node_id;
  info.type = remote::NodeType::file;
  info.attributes = sealed_record(op, file);
  info.attributes_revision = 1;
  info.version = 1;
  return info;
}

}  // namespace coffer::sync
