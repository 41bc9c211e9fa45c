// Text of HTTP header fields (RFC 9110): optional whitespace trimmed, names and tokens in ASCII lower
// case. Pure functions; thread-safe.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "doorbell/common/temporary_string.hpp"

namespace doorbell::http {

// `s` without the spaces and tabs around it (a field value's optional whitespace).
inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
// A view into a temporary would dangle at the end of the statement.
template <TemporaryString S>
std::string_view trim_ows(S&& s) = delete;

// `s` with A-Z as a-z and every other byte as it is, whatever the locale.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

}  // namespace doorbell::http
