#include "server/http/request.hpp"

#include <algorithm>
#include <cctype>

namespace coffer::server::http {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool Request::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& field) { return same_name(field.first, name); });
}

std::string Request::get_header_value(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (same_name(field, name)) return value;
  }
  return {};
}

bool Request::has_param(const std::string& name) const { return params.find(name) != params.end(); }

std::string Request::get_param_value(const std::string& name) const {
  const auto found = params.find(name);
  return found == params.end() ? std::string() : found->second;
}

void Response::set_header(std::string name, std::string value) {
  for (auto& field : headers) {
    if (same_name(field.first, name)) {
      field.second = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

void Response::set_content(std::string content, std::string type) {
  body = std::move(content);
  content_type = std::move(type);
}

void Response::set_content_provider(std::uint64_t length, std::string type, ContentProvider produce) {
  provided_length = length;
  content_type = std::move(type);
  provider = std::move(produce);
}

bool Response::closes_connection() const {
  return std::any_of(headers.begin(), headers.end(),
                     [](const auto& field) { return same_name(field.first, "Connection") && same_name(field.second, "close"); });
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_digit(text[i + 1]);
      const int low = hex_digit(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::multimap<std::string, std::string> parse_query(std::string_view query) {
  std::multimap<std::string, std::string> params;
  while (!query.empty()) {
    const auto end = query.find('&');
    const std::string_view pair = query.substr(0, end);
    if (!pair.empty()) {
      const auto equals = pair.find('=');
      params.emplace(percent_decode(pair.substr(0, equals)),
                     equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1)));
    }
    if (end == std::string_view::npos) break;
    query.remove_prefix(end + 1);
  }
  return params;
}

}  // namespace coffer::server::http
