#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "remote/remote_api.hpp"

namespace coffer::test {

// The server's node, entry and content routes in memory, with its rules (docs/api.md): ids
// and names unique, stale bases refused, chunks hashed on upload, a folder removed only when
// empty, folder records kept in order with a batch's entry ops applied all or none. For unit
// tests of the VFS and the upload queue; integration tests use cofferd.
class MemoryRemote : public remote::RemoteApi {
 public:
  struct StoredNode {
    remote::NodeInfo info;
    std::map<std::uint64_t, remote::VersionInfo> versions;
  };
  struct StoredEntry {
    std::string name;
    Bytes wrapped_key;
    std::string node_id;
  };

  // The user's root folder, as `coffer register` creates it.
  void add_root(const std::string& node_id, Bytes attributes, Bytes folder_record);

  Result<remote::NodeInfo> get_node(const std::string& node_id) override;
  Result<remote::EntryPage> list_entries(const std::string& parent_id, const std::optional<std::string>& after,
                                         unsigned limit) override;
  Result<remote::NodeInfo> set_attributes(const remote::SetAttributes& request) override;
  Status put_blob(const std::string& blob_id, ByteView data) override;
  Result<Bytes> get_blob(const std::string& blob_id) override;
  Result<std::uint64_t> commit_version(const remote::CommitVersion& request) override;
  Result<remote::VersionInfo> get_version(const std::string& node_id, std::optional<std::uint64_t> version) override;
  Result<std::vector<Status>> batch(const std::vector<remote::BatchOp>& ops,
                                    const std::vector<remote::FolderUpdate>& folders) override;
  Result<remote::Usage> usage() override;
  // Every applied op leaves a feed entry (entry ops as `moved` of each folder they change, with
  // the folder as parent); none is marked own, as if every op came from another session.
  Result<remote::ChangePage> changes(std::optional<std::uint64_t> cursor, std::chrono::seconds wait,
                                     std::stop_token stop) override;

  // Test controls.
  void set_offline(bool offline) { offline_ = offline; }
  // A slow server: listings of `folder_id` wait until release_listings(); listings_waiting()
  // counts the calls waiting now, listings_of() every listing call of a folder so far.
  void hold_listings(std::string folder_id);
  void release_listings();
  std::size_t listings_waiting();
  std::size_t listings_of(const std::string& folder_id);
  std::size_t node_gets() const { return node_gets_; }
  std::size_t blob_puts() const { return blob_puts_; }
  std::size_t attribute_sets() const { return attribute_sets_; }
  std::size_t entry_listings() const { return entry_listings_; }  // pages of entries served
  std::size_t blob_count();
  void flip_byte(const std::string& blob_id);
  // Serves each blob's bytes under the other's id (a server swapping two valid chunks).
  void swap_blobs(const std::string& first_id, const std::string& second_id);
  // Makes an older version current again (a rollback by the server).
  void roll_back(const std::string& node_id, std::uint64_t version);
  std::optional<StoredNode> node(const std::string& node_id);
  // Puts back a node as node() returned it earlier (a rollback of its record by the server).
  void restore_node(const StoredNode& node);
  std::vector<std::string> entry_tags(const std::string& parent_id);
  std::uint64_t folder_revision(const std::string& folder_id);
  Result<remote::EntryInfo> lookup_entry(const std::string& parent_id, const std::string& name_tag);
  // A server that lies: swaps the node two entries of a folder point at; drops an entry.
  void swap_entry_nodes(const std::string& parent_id, const std::string& tag_a, const std::string& tag_b);
  void drop_entry(const std::string& parent_id, const std::string& tag);
  // A feed entry that no op made (a server that lies, or repeats itself).
  void add_change(const std::string& node_id, std::optional<std::string> parent_id, const std::string& kind);
  // All stored bytes: blobs, sealed records, names (for "no plaintext on the server").
  Bytes everything_stored();

 private:
  Status reachable() const;
  Result<remote::EntryInfo> entry_locked(const std::string& parent_id, const std::string& tag);
  Result<remote::EntryInfo> create_locked(const remote::CreateNode& request);
  Status remove_locked(const remote::RemoveEntry& request);
  Result<remote::EntryInfo> link_locked(const remote::AddLink& request);
  Result<remote::EntryInfo> move_locked(const remote::MoveEntry& request);
  Result<remote::NodeInfo> set_attributes_locked(const remote::SetAttributes& request);
  Result<std::vector<Status>> apply_batch_locked(const std::vector<remote::BatchOp>& ops,
                                                 std::set<std::string>& changed, bool& undone);
  Status check_folder_bases_locked(const std::vector<remote::FolderUpdate>& folders);
  Status store_blob_locked(const std::string& blob_id, ByteView data);
  Result<std::uint64_t> commit_locked(const remote::CommitVersion& request);
  void record_batch_locked(const std::vector<remote::BatchOp>& ops, const std::set<std::string>& folders);
  void record_locked(const std::string& node_id, std::optional<std::string> parent_id, const std::string& kind);

  std::mutex mutex_;
  std::map<std::string, StoredNode> nodes_;
  std::map<std::string, std::map<std::string, StoredEntry>> entries_;  // parent -> tag -> entry
  std::map<std::string, Bytes> blobs_;
  std::map<std::string, remote::FolderState> folders_;
  std::vector<remote::Change> feed_;  // cursor = index + 1
  std::condition_variable_any feed_grew_;
  std::atomic<bool> offline_{false};
  std::atomic<std::size_t> blob_puts_{0};
  std::atomic<std::size_t> attribute_sets_{0};
  std::atomic<std::size_t> node_gets_{0};
  std::mutex hold_mutex_;  // guards the four below; taken without mutex_
  std::condition_variable hold_released_;
  std::string held_folder_;
  std::size_t listings_waiting_ = 0;
  std::map<std::string, std::size_t> listing_calls_;
  std::atomic<std::size_t> entry_listings_{0};
};

}  // namespace coffer::test
