#include "doorbell/http/request.hpp"

#include <algorithm>

namespace doorbell::http {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return std::ranges::equal(a, b, [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

std::string Request::header(std::string_view name) const {
  const auto found = std::ranges::find_if(headers, [&](const auto& h) { return same_name(h.first, name); });
  return found == headers.end() ? std::string() : found->second;
}

}  // namespace doorbell::http
