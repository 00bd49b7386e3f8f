#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cache/version_guard.hpp"
#include "sync/folder_models.hpp"
#include "sync/journal_op.hpp"

namespace coffer::sync {

// Plans the ops of one request that change entries (create, link, move, remove) against the
// folder models, in journal order: each op goes to the server, or is already applied there (a
// replay after a crash: skip), or cannot apply (its name is taken by another node, its entry
// is gone: an error for good). The models advance as if the server applied what goes, and
// updates() gives every changed folder's next sealed record, so the request commits to the
// exact entry sets it leaves. One planner per request attempt.
class EntryPlanner {
 public:
  enum class Verdict { send, skip };

  explicit EntryPlanner(FolderModels& models) : models_(models) {}

  // An error is either transient (a model could not be loaded: the request waits) or this
  // op's failure for good.
  Result<Verdict> plan(const OpBody& body);
  std::vector<remote::FolderUpdate> updates();
  // The server applied the request: the changed folders are at their next revision (the
  // guard remembers it).
  void applied(cache::VersionGuard& guard);
  // It did not: every model this planner touched is forgotten and will be loaded again.
  void abandon();

 private:
  using Model = FolderModels::Model;
  Result<Model*> model(const std::string& folder_id, const SecureBytes& key);
  // Notes that the request changes the folder: updates() seals its next record.
  Status mark_changed(const std::string& folder_id, const SecureBytes& key, Model& model);
  Result<Verdict> plan_create(const CreateOp& op);
  Result<Verdict> plan_link(const LinkOp& op);
  Result<Verdict> plan_remove(const RemoveOp& op);
  Result<Verdict> plan_move(const MoveOp& op);

  struct Changed {
    crypto::FernetKey key;
    Model* model;  // stays valid: models are only forgotten by abandon(), the planner's end
  };
  FolderModels& models_;
  std::map<std::string, Changed> changed_;  // by folder id
  std::set<std::string> touched_;
};

}  // namespace coffer::sync
