#include "admission.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "doorbell/http/url_text.hpp"
#include "wire.hpp"

namespace doorbell::http {
namespace {

bool is_expect_continue(const RequestHead& head) {
  const auto expect = head.header("expect");
  if (!expect) return false;
  std::string v(*expect);
  std::transform(v.begin(), v.end(), v.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return v == "100-continue";
}

// A Host header fit for a redirect: host name or address and an optional port, nothing else.
bool is_plain_host(std::string_view host) {
  return !host.empty() && host.size() < 256 && std::all_of(host.begin(), host.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 ||
           std::string_view("-.:[]").find(ch) != std::string_view::npos;
  });
}

Admission refuse(const RouteSpec* route, int status, std::string_view message, std::string_view code = {},
                 const HeaderList& headers = {}) {
  Admission a;
  a.route = route;
  a.status = status;
  a.answer = closing_error(status, message, code, headers);
  return a;
}

}  // namespace

std::string too_large_message(const RouteSpec& route, const RequestHead& head, std::size_t limit) {
  if (limit == 0) return fmt::format("{} {} takes no request body", head.method, route.pattern);
  if (route.body == BodyLimit::upload)
    return fmt::format("request body larger than http.max_body_bytes ({} bytes)", limit);
  return fmt::format("request body larger than {} bytes", limit);
}

Admission admit(const RequestHead& head, const AdmissionContext& context) {
  const auto path = percent_decode(head.path);
  const auto match = context.routes.match(head.method, path);
  if (context.plain_on_tls && (match.spec == nullptr || match.spec->lane != Lane::probe)) {
    const auto host = head.header("host");
    if ((head.method == "GET" || head.method == "HEAD") && host && is_plain_host(*host)) {
      const auto location = fmt::format("https://{}{}", *host, head.target);
      return refuse(match.spec, 308, "this server speaks HTTPS: " + location, "https_required",
                    {{"Location", location}});
    }
    return refuse(match.spec, 400, "this server speaks HTTPS only (plain HTTP serves the probes)",
                  "https_required");
  }
  if (match.spec == nullptr) {
    if (match.allowed.empty())
      return refuse(nullptr, 404, fmt::format("no route for {} {}", head.method, head.path));
    return refuse(nullptr, 405,
                  fmt::format("{} does not take {} (it takes {})", head.path, head.method, match.allowed),
                  "method_not_allowed", {{"Allow", match.allowed}});
  }
  const auto& route = *match.spec;
  Admission a;
  a.route = &route;
  auto decision = context.access.decide(head, route, context.address);
  if (!decision.allowed)
    return refuse(&route, decision.status, decision.message, decision.code, decision.headers);
  a.principal = std::move(decision.principal);
  a.body_limit = route.body == BodyLimit::none   ? 0
                 : route.body == BodyLimit::json ? kJsonBodyBytes
                                                 : context.upload_limit;
  if (const auto encoding = head.header("content-encoding"); encoding && *encoding != "identity") {
    return refuse(&route, 415, "compressed request bodies are not accepted (Content-Encoding)");
  }
  a.chunked = head.chunked();
  a.body_length = a.chunked ? 0 : head.content_length().value_or(0);
  if ((a.chunked && a.body_limit == 0) || a.body_length > a.body_limit) {
    return refuse(&route, 413, too_large_message(route, head, a.body_limit));
  }
  a.expect_continue = (a.chunked || a.body_length > 0) && is_expect_continue(head);
  return a;
}

}  // namespace doorbell::http
