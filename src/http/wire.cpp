#include "wire.hpp"

#include <fmt/format.h>

#include <array>

#include "doorbell/http/response.hpp"

namespace doorbell::http {

const char* reason_phrase(int status) noexcept {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::string response_head(const Response& response, bool keep_alive,
                          std::optional<std::size_t> content_length) {
  std::string out = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\n", response.status,
                                reason_phrase(response.status), response.content_type);
  out += content_length ? fmt::format("Content-Length: {}\r\n", *content_length)
                        : "Transfer-Encoding: chunked\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  out += "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n";
  bool caching = false;
  for (const auto& [name, value] : response.headers) {
    out += fmt::format("{}: {}\r\n", name, value);
    caching = caching || name == "Cache-Control";
  }
  if (!caching) out += "Cache-Control: no-store\r\n";
  out += "\r\n";
  return out;
}

std::string closing_response(int status, std::string_view content_type, std::string_view body,
                             const HeaderList& headers) {
  Response r;
  r.status = status;
  r.content_type = content_type;
  r.headers = headers;
  return response_head(r, false, body.size()) + std::string(body);
}

std::string closing_error(int status, std::string_view message, std::string_view code,
                          const HeaderList& headers) {
  const auto error = json_error(status, message, code);
  return closing_response(status, error.content_type, error.body, headers);
}

std::string_view method_label(std::string_view method) noexcept {
  static constexpr std::array<std::string_view, 7> kKnown{"GET",   "HEAD",   "POST",   "PUT",
                                                          "PATCH", "DELETE", "OPTIONS"};
  for (const auto known : kKnown) {
    if (method == known) return known;
  }
  return "other";
}

}  // namespace doorbell::http
