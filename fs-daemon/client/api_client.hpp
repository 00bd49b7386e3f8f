#pragma once

#include <memory>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "client/account_types.hpp"
#include "client/http_client.hpp"
#include "remote/history_api.hpp"
#include "remote/link_api.hpp"
#include "remote/remote_api.hpp"
#include "remote/share_api.hpp"

namespace coffer::client {

// The typed routes of docs/api.md over HttpClient. Every answer is checked and decoded here;
// callers see values or coffer::Errc errors, never HTTP. `answer_within` (HttpRequest) applies
// to every request: a mount's foreground client (network.foreground_timeout) shares the
// background one's HttpClient, connections and connectivity.
class ApiClient : public remote::RemoteApi,
                  public remote::HistoryApi,
                  public remote::ShareApi,
                  public remote::LinkApi {
 public:
  explicit ApiClient(std::shared_ptr<HttpClient> http, std::chrono::seconds answer_within = {})
      : http_(std::move(http)), answer_within_(answer_within) {}

  HttpClient& http() { return *http_; }

  Result<crypto::KdfParams> auth_params(const std::string& user);
  Result<Session> create_session(const std::string& user, ByteView auth_key, const std::string& device);
  Status delete_current_session();
  Result<Account> get_account();
  // current_auth_key proves the password being replaced (docs/api.md); Errc::proof_failed when
  // it is wrong.
  Status change_password(ByteView current_auth_key, const crypto::KdfParams& kdf, ByteView auth_key,
                         ByteView key_bundle);
  Result<std::string> register_user(const Registration& registration);
  // The user's live sessions, newest first.
  Result<std::vector<SessionInfo>> list_sessions();
  Status revoke_session(const std::string& session_id);
  // Ends every other session of the user; returns how many. Needs the proof like
  // change_password (Errc::proof_failed).
  Result<std::uint64_t> revoke_other_sessions(ByteView current_auth_key);
  // Deletes the account and everything in it. `confirm_user` must be the account's name;
  // Errc::proof_failed for a wrong proof, Errc::last_admin for the only admin.
  Status delete_account(ByteView current_auth_key, const std::string& confirm_user);

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
  Result<remote::ChangePage> changes(std::optional<std::uint64_t> cursor, std::chrono::seconds wait,
                                     std::stop_token stop) override;

  // The history routes (api_client_history.cpp).
  Result<std::vector<remote::VersionSummary>> list_versions(const std::string& node_id) override;
  Result<remote::TrashPage> list_trash(const std::optional<std::string>& after, unsigned limit) override;
  Result<std::uint64_t> empty_trash(std::optional<std::int64_t> older_than) override;
  Result<remote::EntryPage> list_entries_at(const std::string& folder_id, std::int64_t at,
                                            const std::optional<std::string>& after, unsigned limit) override;

  // The sharing routes (api_client_shares.cpp).
  Result<remote::ShareLists> list_shares() override;
  Result<remote::ShareInfo> put_share(const std::string& node_id, const std::string& grantee, remote::ShareRole role,
                                      ByteView sealed_key) override;
  Status delete_share(const std::string& node_id, const std::string& grantee) override;
  Result<Bytes> public_key(const std::string& user) override;

  // The share-link routes (api_client_links.cpp).
  Result<std::int64_t> create_link(const remote::NewLink& link) override;
  Result<std::vector<remote::LinkInfo>> list_links() override;
  Status delete_link(const std::string& link_id) override;

 private:
  // Sends a request and returns the decoded JSON body of a 2xx answer; an error answer becomes
  // the Errc its code names (client/status_map).
  Result<nlohmann::json> call(const HttpRequest& request, std::string_view what);
  Status call_no_body(const HttpRequest& request, std::string_view what);
  Result<HttpResponse> send(HttpRequest request);

  std::shared_ptr<HttpClient> http_;
  std::chrono::seconds answer_within_;
};

std::string url_escape(std::string_view text);

}  // namespace coffer::client
