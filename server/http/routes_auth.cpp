#include "protocol/auth.hpp"
#include "protocol/formats.hpp"
#include "server/http/replies.hpp"
#include "server/http/routes.hpp"

namespace coffer::server::http {

namespace {

// The caller's own account, registration and others' public keys.
void add_account_routes(RouteTable& routes, service::AuthService& auth) {
  routes.add("GET", "/v1/account", RouteAccess::user, RouteBody::none, [&auth](const Request&, Response& res) {
    reply(res, auth.account(RequestScope::caller()), 200);
  });
  routes.add("PUT", "/v1/account/password", RouteAccess::user, RouteBody::small, [&auth](const Request& req, Response& res) {
    auto body = read_body<protocol::PasswordChange>(req);
    if (!body) return reply_error(res, body.error());
    reply(res, auth.change_password(RequestScope::caller(), *body), 204);
  });
  routes.add("DELETE", "/v1/account", RouteAccess::user, RouteBody::small, [&auth](const Request& req, Response& res) {
    auto body = read_body<protocol::AccountDeletion>(req);
    if (!body) return reply_error(res, body.error());
    reply(res, auth.delete_account(RequestScope::caller(), *body), 204);
  });
  routes.add("POST", "/v1/register", RouteAccess::open, RouteBody::small, [&auth](const Request& req, Response& res) {
    auto body = read_body<protocol::RegisterRequest>(req);
    if (!body) return reply_error(res, body.error());
    reply(res, auth.register_user(*body, req.remote_addr), 201);
  });
  routes.add("GET", std::string("/v1/users/") + kParam + "/public_key", RouteAccess::user, RouteBody::none,
             [&auth](const Request& req, Response& res) {
               const std::string name = req.matches[1];
               if (!protocol::is_user_name(name)) return reply_error(res, make_error(Errc::invalid_argument, "name: expected a user name"));
               reply(res, auth.public_key(RequestScope::caller(), name), 200);
             });
}

}  // namespace

void add_auth_routes(RouteTable& routes, service::Services& services) {
  auto& auth = services.auth;
  routes.add("GET", "/v1/health", RouteAccess::open, RouteBody::none, [](const Request&, Response& res) {
    reply_json(res, 200, protocol::Json{{"status", "ok"}});
  });
  routes.add("GET", "/v1/auth/params", RouteAccess::open, RouteBody::none, [&auth](const Request& req, Response& res) {
    const std::string user = req.get_param_value("user");
    if (!protocol::is_user_name(user)) return reply_error(res, make_error(Errc::invalid_argument, "user: expected a user name"));
    reply(res, auth.auth_params(user), 200);
  });
  routes.add("POST", "/v1/sessions", RouteAccess::open, RouteBody::small, [&auth](const Request& req, Response& res) {
    auto body = read_body<protocol::LoginRequest>(req);
    if (!body) return reply_error(res, body.error());
    reply(res, auth.login(*body, req.remote_addr), 201);
  });
  routes.add("DELETE", "/v1/sessions/current", RouteAccess::user, RouteBody::none, [&auth](const Request&, Response& res) {
    reply(res, auth.logout(RequestScope::caller()), 204);
  });
  routes.add("GET", "/v1/sessions", RouteAccess::user, RouteBody::none, [&auth](const Request&, Response& res) {
    reply(res, auth.sessions(RequestScope::caller()), 200);
  });
  routes.add("POST", "/v1/sessions/revoke-others", RouteAccess::user, RouteBody::small,
             [&auth](const Request& req, Response& res) {
               auto body = read_body<protocol::PasswordProof>(req);
               if (!body) return reply_error(res, body.error());
               reply(res, auth.revoke_other_sessions(RequestScope::caller(), *body), 200);
             });
  routes.add("DELETE", std::string("/v1/sessions/") + kParam, RouteAccess::user, RouteBody::none,
             [&auth](const Request& req, Response& res) {
               auto id = hex_param(req, 1, protocol::kSessionIdLength, "session_id");
               if (!id) return reply_error(res, id.error());
               reply(res, auth.revoke_session(RequestScope::caller(), *id), 204);
             });
  add_account_routes(routes, auth);
}

}  // namespace coffer::server::http
