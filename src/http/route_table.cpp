#include "doorbell/http/route_table.hpp"

namespace doorbell::http {

const char* to_string(Access access) noexcept {
  switch (access) {
    case Access::open:
      return "open";
    case Access::metrics:
      return "metrics";
    case Access::viewer:
      return "viewer";
    case Access::admin:
      return "admin";
  }
  return "admin";
}

RouteTable::RouteTable(std::span<const RouteSpec> specs) : specs_(specs) {
  patterns_.reserve(specs.size());
  for (const auto& spec : specs) patterns_.emplace_back(std::string(spec.pattern));
}

const RouteSpec* RouteTable::declared(std::string_view method, std::string_view pattern) const {
  for (const auto& spec : specs_) {
    if (spec.method == method && spec.pattern == pattern) return &spec;
  }
  return nullptr;
}

RouteTable::Match RouteTable::match(std::string_view method, const std::string& path) const {
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  Match out;
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    if (!std::regex_match(path, patterns_[i])) continue;
    if (specs_[i].method == wanted) {
      out.spec = &specs_[i];
      out.allowed.clear();
      return out;
    }
    if (!out.allowed.empty()) out.allowed += ", ";
    out.allowed += specs_[i].method;
  }
  return out;
}

}  // namespace doorbell::http
