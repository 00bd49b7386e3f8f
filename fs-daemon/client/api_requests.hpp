#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "client/http_client.hpp"
#include "util/result.hpp"

// What every typed route builds its request and decodes its answer with (api_client*.cpp).
namespace coffer::client {

inline constexpr const char* kJson = "application/json";

template <class T, class F>
Result<T> decode(std::string_view what, F&& convert) {
  try {
    return convert();
  } catch (const std::exception& e) {
    return make_error(Errc::internal, std::string(what) + ": malformed answer from the server: " + e.what());
  }
}

inline HttpRequest json_request(std::string method, std::string target, const std::string& body, bool idempotent) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.content_type = kJson;
  request.body = body;
  request.idempotent = idempotent;
  return request;
}

inline HttpRequest get_request(std::string target) {
  HttpRequest request;
  request.target = std::move(target);
  request.idempotent = true;
  return request;
}

// A DELETE may be retried: twice leaves the server as once does.
inline HttpRequest delete_request(std::string target) {
  HttpRequest request = get_request(std::move(target));
  request.method = "DELETE";
  return request;
}

}  // namespace coffer::client
