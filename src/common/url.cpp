#include "doorbell/common/url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace doorbell {

std::string Url::origin() const {
  return fmt::format("{}://{}:{}", scheme, host, port);
}

std::string without_password(std::string_view text) {
  const auto colon_slashes = text.find("://");
  if (colon_slashes == std::string_view::npos) return std::string(text);
  const auto authority_start = colon_slashes + 3;
  const auto authority_end = std::min(text.find_first_of("/?#", authority_start), text.size());
  const auto at = text.rfind('@', authority_end - 1);
  if (at == std::string_view::npos || at < authority_start) return std::string(text);
  const auto colon = text.find(':', authority_start);
  if (colon == std::string_view::npos || colon > at) return std::string(text);  // a user, no password
  return fmt::format("{}***{}", text.substr(0, colon + 1), text.substr(at));
}

std::optional<Url> parse_url(std::string_view text) {
  Url url;
  const auto colon_slashes = text.find("://");
  if (colon_slashes == std::string_view::npos) return std::nullopt;
  url.scheme = text.substr(0, colon_slashes);
  if (url.scheme != "http" && url.scheme != "https") return std::nullopt;
  auto rest = text.substr(colon_slashes + 3);
  const auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  url.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.find('@') != std::string_view::npos || authority.empty()) return std::nullopt;
  url.port = url.scheme == "https" ? 443 : 80;
  const auto port_colon = authority.rfind(':');
  if (port_colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    const auto port = authority.substr(port_colon + 1);
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), url.port);
    if (ec != std::errc() || end != port.data() + port.size() || url.port < 1 || url.port > 65535) {
      return std::nullopt;
    }
    authority = authority.substr(0, port_colon);
  }
  if (authority.empty() || authority.find_first_of(" \t\r\n") != std::string_view::npos) return std::nullopt;
  url.host = authority;
  if (url.path.find_first_of(" \t\r\n") != std::string::npos) return std::nullopt;
  return url;
}

}  // namespace doorbell
