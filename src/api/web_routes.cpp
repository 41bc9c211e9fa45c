#include "doorbell/api/web_routes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace doorbell::api {
namespace {

// The page may load only its own script, style sheet, images and API; no inline script, no framing.
constexpr std::string_view kPagePolicy =
    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// The weight an Accept-Encoding item gives (1 without a q parameter).
double weight_of(std::string_view item) {
  const auto q = item.find("q=", item.find(';'));
  if (item.find(';') == std::string_view::npos || q == std::string_view::npos) return 1;
  double weight = 0;
  const auto value = item.substr(q + 2);
  std::from_chars(value.data(), value.data() + value.size(), weight);
  return weight;
}

// Whether an Accept-Encoding value allows gzip: by its own item, or else by "*".
bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<double> gzip;
  std::optional<double> any;
  std::size_t start = 0;
  while (start <= accept_encoding.size()) {
    const auto end = std::min(accept_encoding.find(',', start), accept_encoding.size());
    const auto item = accept_encoding.substr(start, end - start);
    auto coding = item.substr(0, item.find(';'));
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding == "gzip") gzip = weight_of(item);
    if (coding == "*") any = weight_of(item);
    start = end + 1;
  }
  return gzip ? *gzip > 0 : any.value_or(0) > 0;
}

}  // namespace

Response web_asset(std::span<const WebAsset> assets, std::string_view path,
                   std::string_view accept_encoding) {
  if (assets.empty())
    return json_error(404, "this build has no web app (built with DOORBELL_WITH_WEB_APP=OFF)");
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
  const auto serve = [](const Request& req) {
    return web_asset(web_assets(), req.path, req.header("Accept-Encoding"));
  };
  server.get("/", serve);
  server.get(R"(/app/[A-Za-z0-9._-]{1,64})", serve);
  server.get("/api/openapi.json", serve);
}

}  // namespace doorbell::api
