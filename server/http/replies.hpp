#pragma once

#include "server/http/request.hpp"

#include <optional>
#include <string>

#include "protocol/errors.hpp"
#include "protocol/folders.hpp"
#include "protocol/json_reader.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::http {

// Writing answers and reading request parts, the same way for every route.

void reply_json(Response& res, int status, const protocol::Json& body);
// The error body {"error", "message", ...details} with the mapped status (and Retry-After for
// 429). Server-side failures are logged here and answered without detail.
void reply_error(Response& res, const Error& error, const protocol::Json& details = protocol::Json::object());

template <class T>
void reply(Response& res, service::Outcome<T>&& outcome, int success_status) {
  if (!outcome) return reply_error(res, outcome.error(), outcome.details());
  if constexpr (std::is_same_v<T, service::Done>) {
    res.status = success_status;
  } else {
    reply_json(res, success_status, protocol::Json(outcome.value()));
  }
}

// The JSON body, parsed within what its route lets it cost (400 with the reason otherwise).
Result<protocol::Json> parse_body(const Request& req);

// The JSON body read as a request type T (400 with the reason otherwise).
template <class T>
Result<T> read_body(const Request& req) {
  auto json = parse_body(req);
  if (!json) return json.error();
  return T::from_json(*json);
}

// The body of a route that changes a folder's entries: its "folders" (new sealed folder
// records) and the rest read as T. An empty body is an empty object (DELETE of an entry).
template <class T>
struct NamespaceBody {
  T request;
  std::vector<protocol::FolderUpdate> folders;
};
template <class T>
Result<NamespaceBody<T>> read_namespace_body(const Request& req) {
  auto json = req.body.empty() ? Result<protocol::Json>(protocol::Json::object()) : parse_body(req);
  if (!json) return json.error();
  auto folders = protocol::take_folder_updates(*json);
  if (!folders) return folders.error();
  auto request = T::from_json(*json);
  if (!request) return request.error();
  return NamespaceBody<T>{std::move(*request), std::move(*folders)};
}

// A path parameter (regex group `index`) that must be lowercase hex of `length`.
Result<std::string> hex_param(const Request& req, int index, std::size_t length, const char* name);
// A whole number from 0 to max written in decimal, nothing else.
std::optional<std::uint64_t> parse_number(std::string_view text, std::uint64_t max);
// A query parameter as a whole number within [0, max]; none when absent.
Result<std::optional<std::uint64_t>> number_query(const Request& req, const char* name, std::uint64_t max);

}  // namespace coffer::server::http
