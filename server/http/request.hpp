#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace coffer::server::http {

// A request as a handler sees it. The connection fills it from the parsed header and, for
// routes that take a JSON body, the whole body (read within the route's limit).
struct Request {
  std::string method;
  std::string path;  // percent-decoded, without the query
  std::string body;
  std::string remote_addr;
  std::vector<std::string> matches;                         // [0] the path, then each path parameter
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::multimap<std::string, std::string> params;           // the query, percent-decoded
  std::size_t json_cost_factor = 8;  // how much the route lets its JSON body cost to parse (route_table.hpp)

  bool has_header(std::string_view name) const;  // any case
  std::string get_header_value(std::string_view name) const;  // the first value, or ""
  bool has_param(const std::string& name) const;
  std::string get_param_value(const std::string& name) const;  // the first value, or ""
};

// Fills `out` with the answer's bytes from `offset` on; returns how many it wrote (at least 1
// while bytes remain) or the error that ends the answer.
using ContentProvider = std::function<Result<std::size_t>(std::uint64_t offset, std::span<char> out)>;

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type;
  // An answer of `provided_length` bytes produced piece by piece on a worker (blob reads).
  ContentProvider provider;
  std::uint64_t provided_length = 0;

  // Replaces a header of the same name; "Connection: close" ends the connection after it.
  void set_header(std::string name, std::string value);
  void set_content(std::string content, std::string type);
  void set_content_provider(std::uint64_t length, std::string type, ContentProvider produce);
  bool closes_connection() const;
};

// The body of a streaming route (blob uploads), fed piece by piece on worker threads as it
// arrives, so that a slow sender holds no thread.
class BodySink {
 public:
  virtual ~BodySink() = default;
  // An error ends the request: it is answered and the rest of the body is not read.
  virtual Status write(std::string_view piece) = 0;
  // The whole body arrived.
  virtual void finish(Response& res) = 0;
};

// Splits "a=1&b=x%20y" into decoded pairs; '+' stays '+', as in a path.
std::multimap<std::string, std::string> parse_query(std::string_view query);
// Decodes %XX escapes; a malformed escape is kept as it is.
std::string percent_decode(std::string_view text);

}  // namespace coffer::server::http
