#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "protocol/json_reader.hpp"

namespace coffer::server::admin {

// coffer-admin's output: aligned tables for people, JSON (--json) for scripts.
class Table {
 public:
  explicit Table(std::vector<std::string> headings) : headings_(std::move(headings)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headings_;
  std::vector<std::vector<std::string>> rows_;
};

void print_json(std::ostream& out, const protocol::Json& value);
// "2026-11-24 13:05:00" in UTC, "-" for 0.
std::string format_time(std::int64_t unix_seconds);

}  // namespace coffer::server::admin
