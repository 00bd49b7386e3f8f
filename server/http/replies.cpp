#include "server/http/replies.hpp"

#include <charconv>

#include "log/logging.hpp"
#include "protocol/formats.hpp"
#include "server/http/status_map.hpp"

namespace coffer::server::http {

void reply_json(Response& res, int status, const protocol::Json& body) {
  res.status = status;
  // Replace invalid UTF-8 rather than throw: an error message may quote a field the client sent.
  res.set_content(body.dump(-1, ' ', false, protocol::Json::error_handler_t::replace), "application/json");
}

void reply_error(Response& res, const Error& error, const protocol::Json& details) {
  const int status = http_status(error.code);
  protocol::ErrorBody body{error_code(error.code), error.message, details};
  if (!message_is_public(error.code)) {
    spdlog::error("request failed: {}: {}", errc_name(error.code), error.message);
    body.message = "the server could not complete the request";
    body.details = protocol::Json::object();
  }
  if (status == 429 && details.contains("retry_after")) {
    res.set_header("Retry-After", std::to_string(details.at("retry_after").get<std::int64_t>()));
  }
  reply_json(res, status, protocol::Json(body));
}

Result<protocol::Json> parse_body(const Request& req) {
  protocol::JsonBounds bounds;
  bounds.max_cost_factor = req.json_cost_factor;
  return protocol::parse_json_text(req.body, bounds);
}

Result<std::string> hex_param(const Request& req, int index, std::size_t length, const char* name) {
  std::string value = static_cast<std::size_t>(index) < req.matches.size() ? req.matches[index] : std::string();
  if (!protocol::is_hex(value, length)) {
    return make_error(Errc::invalid_argument,
                      std::string(name) + ": expected " + std::to_string(length) + " lowercase hex characters");
  }
  return value;
}

std::optional<std::uint64_t> parse_number(std::string_view text, std::uint64_t max) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

Result<std::optional<std::uint64_t>> number_query(const Request& req, const char* name, std::uint64_t max) {
  if (!req.has_param(name)) return std::optional<std::uint64_t>();
  auto value = parse_number(req.get_param_value(name), max);
  if (!value) {
    return make_error(Errc::invalid_argument,
                      std::string(name) + ": expected a whole number from 0 to " + std::to_string(max));
  }
  return value;
}

}  // namespace coffer::server::http
