#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "crypto/encoding.hpp"
#include "crypto/entry_seal.hpp"
#include "crypto/keys.hpp"
#include "crypto/random.hpp"
#include "sync/conflict_copy.hpp"
#include "sync/conflict_name.hpp"
#include "sync/entry_planner.hpp"
#include "sync/op_sender.hpp"
#include "sync/record_meta.hpp"
#include "util/unix_time.hpp"

// What the sender does when the server moved past a local change (docs/client.md,
// "Conflicts"): an edit is kept as a new file beside the original, a remove leaves a newer
// version alone, an attribute change is merged onto the server's record. Nothing a user wrote
// is dropped.
namespace coffer::sync {
namespace {

constexpr int kPlacingRounds = 5;

SecureBytes raw_key(const crypto::FernetKey& key) { return SecureBytes(key.raw().begin(), key.raw().end()); }

bool taken(const FolderModels::Model& model, const crypto::FernetKey& folder_key, const std::string& name) {
  return model.nodes.contains(crypto::name_tag(folder_key, name));
}

}  // namespace

void OpSender::tell(const ConflictNotice& notice) const {
  if (conflict_listener_) conflict_listener_(notice);
}

// The original stays as the server has it (another device's version, or deleted); the edit
// becomes a new file.
Status OpSender::keep_local_edit(const JournalOp& op, const CommitOp& commit, bool deleted) {
  states_.erase(commit.node_id);
  std::optional<remote::NodeInfo> current;
  if (!deleted) {
    auto node = remote_.get_node(commit.node_id);
    if (!node && is_transient(node.error().code)) return std::move(node).error();
    if (node && node->nlink > 0) current = std::move(node).value();
    else deleted = true;
  }
  auto entry = save_as_new_file(op, commit, deleted);
  if (!entry) return std::move(entry).error();
  if (!*entry) return {};  // made before a crash: the record says so and the copy is there
  tell(ConflictNotice{op.seq, commit.node_id, std::move(**entry), std::move(current)});
  return {};
}

// The new file's id and time are recorded (sealed, fsynced) before it is sent, so the same op
// replayed after a crash finds the copy it made instead of making another.
Result<std::optional<ConflictNotice::Entry>> OpSender::save_as_new_file(const JournalOp& op, const CommitOp& commit,
                                                                        bool deleted) {
  ConflictRecord record{op.seq, unix_now(), deleted ? "deleted" : "edited", commit.node_id,
                        crypto::hex_encode(crypto::random_bytes(16)), "", ""};
  if (auto earlier = journal_.conflict_store().find(op.seq)) {
    auto made = remote_.get_node(earlier->copy_id);
    if (made) return std::optional<ConflictNotice::Entry>();
    if (is_transient(made.error().code)) return std::move(made).error();
    record.at = earlier->at;
    record.copy_id = earlier->copy_id;
  }
  auto file = reseal_for_new_file(remote_, journal_, commit, record.copy_id);
  if (!file) return std::move(file).error();
  std::vector<std::pair<std::string, crypto::FernetKey>> folders;
  if (auto key = op_key(commit.place.parent_key); key && !commit.place.parent_id.empty()) {
    folders.emplace_back(commit.place.parent_id, std::move(key).value());
  }
  if (options_.home.root_key && (folders.empty() || folders.front().first != options_.home.root_id)) {
    folders.emplace_back(options_.home.root_id, *options_.home.root_key);
  }
  for (const auto& [folder_id, folder_key] : folders) {
    // A deleted file comes back under its own name where that is free.
    auto placed = place_new_file(commit, *file, folder_id, folder_key, record, deleted);
    if (!placed) {
      // A transient failure may have lost the answer to a batch that applied: the record stays,
      // so that the retry finds the copy by its id.
      if (!is_transient(placed.error().code)) journal_.conflict_store().forget(op.seq);
      return std::move(placed).error();
    }
    if (*placed) return placed;
  }
  journal_.conflict_store().forget(op.seq);
  return make_error(Errc::not_found, "neither the file's folder nor the root folder takes the kept edit");
}

// One folder's try: the first free name, the record, then the create and commit in one batch
// with the folder's next record. Nothing (no error) when the folder is gone or in the trash.
Result<std::optional<ConflictNotice::Entry>> OpSender::place_new_file(const CommitOp& commit, const NewFile& file,
                                                                      const std::string& folder_id,
                                                                      const crypto::FernetKey& folder_key,
                                                                      ConflictRecord& record, bool own_name_first) {
  using Placed = std::optional<ConflictNotice::Entry>;
  const std::string original = commit.place.name.empty() ? commit.node_id : commit.place.name;
  std::tm local{};
  const std::time_t at = record.at;
  localtime_r(&at, &local);
  for (int round = 0; round < kPlacingRounds; ++round) {
    auto model = models_.get(folder_id, folder_key);
    if (!model) {
      if (model.error().code == Errc::not_found) return Placed();
      return std::move(model).error();
    }
    std::string name = original;
    if (!own_name_first || taken(**model, folder_key, name)) {
      unsigned attempt = 1;
      do {
        name = conflicted_copy_name(original, options_.home.device, local, attempt++);
      } while (taken(**model, folder_key, name));
    }
    const std::string tag = crypto::name_tag(folder_key, name);
    remote::SealedName entry{folder_id, crypto::encrypt_name(folder_key, name), tag,
                             crypto::seal_entry_key(folder_key, {folder_id, file.node_id, tag}, file.key)};
    record.folder_id = folder_id;
    record.name = name;
    COFFER_TRY_STATUS(journal_.conflict_store().keep(record));
    EntryPlanner planner(models_);
    auto verdict = planner.plan(CreateOp{file.node_id, remote::NodeType::file, entry, raw_key(file.key),
                                         commit.attributes, raw_key(folder_key)});
    if (!verdict) {
      planner.abandon();
      return std::move(verdict).error();
    }
    auto answers = remote_.batch(new_file_request(commit, file, entry), planner.updates());
    if (!answers || !(*answers)[0]) {
      planner.abandon();
      const Error error = answers ? (*answers)[0].error() : answers.error();
      if (error.code == Errc::conflict || error.code == Errc::already_exists) continue;  // the folder changed
      if (error.code == Errc::not_found) return Placed();
      return error;
    }
    planner.applied(guard_);
    if (!(*answers)[1]) return (*answers)[1].error();
    (void)guard_.check_version(file.node_id, 1);
    (void)guard_.check_revision(file.node_id, 1);
    spdlog::warn("conflict: {} of file {} was {} on the server meanwhile; the local edit is kept as \"{}\" in folder {}",
                 original, commit.node_id, record.kind == "deleted" ? "deleted" : "changed by another device", name,
                 folder_id);
    return Placed(ConflictNotice::Entry{folder_id, name, tag, raw_key(file.key), new_file_node(commit, file)});
  }
  return make_error(Errc::conflict, "folder " + folder_id + " kept changing while the kept edit was placed in it");
}

// A record is whole, so this device's attributes go on top of the server's current record;
// the size it names stays the server's unless the server's version is the one this change saw.
Status OpSender::merge_attributes(const std::string& node_id, const SecureBytes& key,
                                  const crypto::Attributes& attributes, std::uint64_t size, std::uint64_t base_version) {
  auto node_key = op_key(key);
  if (!node_key) return std::move(node_key).error();
  for (int round = 0; round < kPlacingRounds; ++round) {
    auto node = remote_.get_node(node_id);
    if (!node) return node.error().code == Errc::not_found ? Status{} : Status{std::move(node).error()};
    const ServerState state = states_[node_id] = state_from(*node);
    crypto::Attributes merged = attributes;
    if (continues(base_version, state)) {
      set_content_meta(merged, {size, state.version});
    } else {
      strip_content_meta(merged);
      auto server = crypto::open_attribute_record(*node_key, node_id, node->attributes);
      auto meta = server ? get_content_meta(server->attributes) : std::nullopt;
      if (meta && meta->version == state.version) {
        set_content_meta(merged, *meta);
        if (auto stored = get_stored_bytes(server->attributes)) set_stored_bytes(merged, *stored);
      }
    }
    crypto::AttributeRecord record{node_id, state.revision + 1, std::move(merged)};
    auto set = remote_.set_attributes(
        {node_id, crypto::seal_attribute_record(*node_key, record), state.revision + 1, state.revision});
    if (!set && set.error().code == Errc::conflict) continue;
    if (!set) return std::move(set).error();
    states_[node_id].revision = state.revision + 1;
    (void)guard_.check_revision(node_id, state.revision + 1);
    return {};
  }
  return make_error(Errc::conflict, "node " + node_id + ": its attribute record kept changing while it was merged");
}

// The server refused the remove: the file has a version this device had not seen when it
// deleted it. It stays, and the mount shows it again.
Status OpSender::keep_entry(const JournalOp& op, const RemoveOp& remove) {
  spdlog::warn("conflict: the remove of file {} (journal seq {}) is not applied: another device changed it since this "
               "device last saw it, and it stays",
               remove.node_id, op.seq);
  if (remove.name.empty()) return {};
  auto node = remote_.get_node(remove.node_id);
  if (!node) return is_transient(node.error().code) ? Status{std::move(node).error()} : Status{};
  tell(ConflictNotice{op.seq, remove.node_id,
                      ConflictNotice::Entry{remove.entry.parent_id, remove.name, remove.entry.name_tag,
                                            remove.node_key, std::move(node).value()},
                      std::nullopt});
  return {};
}

}  // namespace coffer::sync
