#include "cli/login_flow.hpp"

#include <iostream>

#include "cli/cli_support.hpp"
#include "crypto/kdf.hpp"
#include "crypto/keys.hpp"

namespace coffer::cli {
namespace {

bool loopback_host(std::string_view rest) {
  for (std::string_view host : {"127.0.0.1", "localhost", "[::1]"}) {
    if (rest.substr(0, host.size()) == host && (rest.size() == host.size() || rest[host.size()] == ':' ||
                                                rest[host.size()] == '/')) {
      return true;
    }
  }
  return false;
}

std::string pin_for(const LoginRequest& request, const std::optional<profile::Login>& previous) {
  if (request.accept_fingerprint) return *request.accept_fingerprint;
  if (previous && previous->info.server_url == request.server) return previous->info.tls_fingerprint;
  return {};
}

}  // namespace

Result<std::string> normalize_server_url(const std::string& url) {
  std::string normalized = url;
  while (!normalized.empty() && normalized.back() == '/') normalized.pop_back();
  bool https = normalized.rfind("https://", 0) == 0;
  bool http = normalized.rfind("http://", 0) == 0;
  if (!https && !http) return make_error(Errc::invalid_argument, "the server URL must start with https:// or http://");
  if (http && !loopback_host(std::string_view(normalized).substr(7))) {
    std::cerr << "coffer: warning: plain HTTP to " << normalized
              << " is not encrypted in transit; use HTTPS outside this machine\n";
  }
  return normalized;
}

Result<LoginOutcome> log_in(const LoginRequest& request, std::string_view password, const profile::ClientConfig& config,
                            const std::optional<profile::Login>& previous) {
  bool https = request.server.rfind("https://", 0) == 0;
  auto options = http_options(request.server, config);
  options.pinned_fingerprint = https ? pin_for(request, previous) : std::string();
  options.trust_on_first_use = https && options.pinned_fingerprint.empty();
  auto http = std::make_shared<client::HttpClient>(options);
  client::ApiClient api(http);

  auto params = api.auth_params(request.user);
  if (!params) return std::move(params).error();
  auto keys = crypto::derive_login_keys(password, *params);
  if (!keys) return std::move(keys).error();
  auto session = api.create_session(request.user, keys->auth_key, request.device);
  if (!session) {
    if (session.error().code == Errc::unauthenticated) return make_error(Errc::unauthenticated, "wrong user name or password");
    return std::move(session).error();
  }
  http->set_bearer_token(session->token);
  auto account = api.get_account();
  if (!account) return std::move(account).error();
  auto bundle = crypto::open_key_bundle(keys->kek, account->key_bundle);
  if (!bundle) return make_error(Errc::integrity, "the key bundle from the server does not open with this password");
  if (!crypto::unwrap_key(bundle->master_key, account->root_wrapped_key)) {
    return make_error(Errc::integrity, "the root folder's key from the server does not open with the master key");
  }

  profile::LoginInfo info;
  info.server_url = request.server;
  info.user = account->user;
  info.device = request.device;
  info.tls_fingerprint = https ? http->observed_fingerprint() : std::string();
  info.token = session->token;
  info.session_id = session->session_id;
  info.user_id = account->user_id;
  info.root_node_id = account->root_node_id;
  info.root_wrapped_key = account->root_wrapped_key;
  // The journal key stays: the journal may still hold records sealed under it.
  crypto::FernetKey journal_key = previous ? previous->keys.journal_key : crypto::FernetKey::generate();
  SecureBytes identity = bundle->identity.private_key;
  LoginOutcome outcome{profile::Login{std::move(info), profile::ProfileKeys{bundle->master_key, std::move(identity),
                                                                         std::move(journal_key)}},
                       https && options.trust_on_first_use};
  return outcome;
}

}  // namespace coffer::cli
