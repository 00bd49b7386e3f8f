#include "sync/folder_models.hpp"

#include "sync/folder_listing.hpp"

namespace coffer::sync {

Result<FolderModels::Model*> FolderModels::get(const std::string& folder_id, const crypto::FernetKey& folder_key) {
  if (auto it = models_.find(folder_id); it != models_.end()) return &it->second;
  auto listed = list_verified_folder(remote_, guard_, folder_id, folder_key);
  if (!listed) return std::move(listed).error();
  Model model{listed->revision, std::move(listed->commitment), {}};
  for (const auto& entry : listed->entries) model.nodes.emplace(entry.name_tag, entry.node.node_id);
  return &(models_[folder_id] = std::move(model));
}

FolderModels::Model& FolderModels::create(const std::string& folder_id) { return models_[folder_id] = Model{}; }

}  // namespace coffer::sync
