#include "doorbell/http/web_routes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace doorbell::http {
namespace {

// The page may load only its own script, style sheet, images and API; no inline script, no framing.
constexpr std::string_view kPagePolicy =
    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// Whether an Accept-Encoding value lists gzip with a non-zero weight.
bool accepts_gzip(std::string_view accept_encoding) {
  std::size_t start = 0;
  while (start <= accept_encoding.size()) {
    const auto end = std::min(accept_encoding.find(',', start), accept_encoding.size());
    auto item = accept_encoding.substr(start, end - start);
    const auto semicolon = item.find(';');
    auto coding = item.substr(0, semicolon);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding == "gzip" || coding == "*") {
      const auto q =
          semicolon == std::string_view::npos ? std::string_view::npos : item.find("q=", semicolon);
      if (q == std::string_view::npos) return true;
      double weight = 0;
      const auto value = item.substr(q + 2);
      std::from_chars(value.data(), value.data() + value.size(), weight);
      return weight > 0;
    }
    start = end + 1;
  }
  return false;
}

}  // namespace

Response web_asset(std::span<const WebAsset> assets, std::string_view path,
                   std::string_view accept_encoding) {
  const auto it = std::find_if(assets.begin(), assets.end(), [&](const auto& a) { return a.path == path; });
  if (it == assets.end()) return json_error(404, fmt::format("no file {} in the web app", path));
  const bool gzip = accepts_gzip(accept_encoding);
  auto out = content_response(it->content_type, std::string(gzip ? it->gzip : it->body));
  if (gzip) out.headers.emplace_back("Content-Encoding", "gzip");
  out.headers.emplace_back("Vary", "Accept-Encoding");
  out.headers.emplace_back("Cache-Control",
                           it->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (it->content_type.starts_with("text/html")) {
    out.headers.emplace_back("Content-Security-Policy", std::string(kPagePolicy));
  }
  return out;
}

void add_web_routes(Server& server) {
  const auto serve = [](const httplib::Request& req) {
    return web_asset(web_assets(), req.path, req.get_header_value("Accept-Encoding"));
  };
  server.get("/", serve);
  server.get(R"(/app/[A-Za-z0-9._-]{1,64})", serve);
  server.get("/api/openapi.json", serve);
}

}  // namespace doorbell::http
