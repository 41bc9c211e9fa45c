#include "doorbell/config/notify_settings.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <sstream>

#include "doorbell/model/event_kind.hpp"

namespace doorbell {

std::optional<std::set<std::string>> parse_kinds(const std::string& text) {
  std::set<std::string> kinds;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const auto first = item.find_first_not_of(' ');
    const auto last = item.find_last_not_of(' ');
    if (first == std::string::npos) return std::nullopt;
    item = item.substr(first, last - first + 1);
    if (!model::parse_event_kind(item)) return std::nullopt;
    kinds.insert(item);
  }
  if (kinds.empty()) return std::nullopt;
  return kinds;
}

std::optional<std::pair<int, int>> parse_quiet_hours(const std::string& text) {
  int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
  char tail = 0;
  if (text.size() != 11 || std::sscanf(text.c_str(), "%2d:%2d-%2d:%2d%c", &h1, &m1, &h2, &m2, &tail) != 4) {
    return std::nullopt;
  }
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return std::nullopt;
  const int start = h1 * 60 + m1, end = h2 * 60 + m2;
  if (start == end) return std::nullopt;
  return std::pair{start, end};
}

}  // namespace doorbell
