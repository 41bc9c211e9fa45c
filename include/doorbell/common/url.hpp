#pragma once
// Url: an http:// or https:// URL split into what an HTTP client needs. Value type.

#include <optional>
#include <string>
#include <string_view>

namespace doorbell {

struct Url {
  std::string scheme;  // http or https
  std::string host;
  int port = 0;      // explicit or the scheme's default
  std::string path;  // "/" when the URL has none; query included

  std::string origin() const;  // scheme://host:port
};

// Empty unless `text` is http(s)://host[:port][/path] with a non-empty host and a valid port.
std::optional<Url> parse_url(std::string_view text);

// `text` with the password of a URL's user information as *** ("rtsp://admin:***@door/stream"), to be
// logged or shown; any other text as it is.
std::string without_password(std::string_view text);

}  // namespace doorbell
