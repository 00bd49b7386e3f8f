#include "server/admin/output.hpp"

#include <algorithm>
#include <ctime>
#include <ostream>

namespace coffer::server::admin {

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths(headings_.size());
  for (std::size_t i = 0; i < headings_.size(); ++i) widths[i] = headings_[i].size();
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  };
  print_row(headings_);
  for (const auto& row : rows_) print_row(row);
}

void print_json(std::ostream& out, const protocol::Json& value) {
  out << value.dump(2, ' ', false, protocol::Json::error_handler_t::replace) << "\n";
}

std::string format_time(std::int64_t unix_seconds) {
  if (unix_seconds == 0) return "-";
  const std::time_t time = unix_seconds;
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
  return text;
}

}  // namespace coffer::server::admin
