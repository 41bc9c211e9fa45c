#include "doorbell/http/request_head.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "header_text.hpp"

namespace doorbell::http {
namespace {

// RFC 9110 tchar.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_token_char);
}

// Visible ASCII, space, tab and obs-text; no other control characters.
bool is_field_value(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
  });
}

// Origin-form target: starts with '/', visible ASCII only.
bool is_origin_target(std::string_view s) {
  return !s.empty() && s.front() == '/' && std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ascii_lower(a) == ascii_lower(b);
}

HeadParse fail(HeadProblem problem, std::string message) {
  HeadParse out;
  out.problem = problem;
  out.message = std::move(message);
  return out;
}

std::optional<std::uint64_t> parse_length(std::string_view s) {
  if (s.empty() || s.size() > 19 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::uint64_t value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

// Splits off one line (without its CRLF or LF); false when no line end is in `rest` yet.
bool next_line(std::string_view& rest, std::string_view& line) {
  const auto lf = rest.find('\n');
  if (lf == std::string_view::npos) return false;
  line = rest.substr(0, lf);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  rest.remove_prefix(lf + 1);
  return true;
}

}  // namespace

std::optional<std::string_view> RequestHead::header(std::string_view name) const& {
  for (const auto& [n, v] : headers) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

bool RequestHead::chunked() const {
  const auto te = header("transfer-encoding");
  return te && iequals(*te, "chunked");
}

std::optional<std::uint64_t> RequestHead::content_length() const {
  const auto cl = header("content-length");
  return cl ? parse_length(*cl) : std::nullopt;
}

bool RequestHead::keep_alive() const {
  const auto connection = ascii_lower(header("connection").value_or(""));
  if (version == "HTTP/1.0") return connection.find("keep-alive") != std::string::npos;
  return connection.find("close") == std::string::npos;
}

HeadParse parse_request_head(std::string_view bytes, const HeadLimits& limits) {
  const auto end = std::min(bytes.size(), limits.max_head_bytes);
  std::string_view rest = bytes.substr(0, end);
  // Leading empty lines before a request line are allowed (RFC 9112 2.2); a few, not many.
  std::string_view line;
  for (int skipped = 0;; ++skipped) {
    if (!next_line(rest, line)) {
      if (bytes.size() >= limits.max_head_bytes)
        return fail(HeadProblem::head_too_large, "request line too long");
      if (rest.size() > limits.max_target_bytes + 32)
        return fail(HeadProblem::target_too_long, "request target too long");
      return {};
    }
    if (!line.empty()) break;
    if (skipped >= 4) return fail(HeadProblem::malformed, "malformed request line");
  }

  HeadParse out;
  auto& head = out.head;
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
    return fail(HeadProblem::malformed, "malformed request line");
  const auto method = line.substr(0, sp1);
  const auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const auto version = line.substr(sp2 + 1);
  if (!is_token(method)) return fail(HeadProblem::malformed, "malformed request method");
  if (target.size() > limits.max_target_bytes)
    return fail(HeadProblem::target_too_long, "request target too long");
  if (!is_origin_target(target)) return fail(HeadProblem::malformed, "the request target must be a path");
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    if (version.starts_with("HTTP/")) return fail(HeadProblem::version_unsupported, "HTTP/1.1 only");
    return fail(HeadProblem::malformed, "malformed request line");
  }
  head.method = method;
  head.target = target;
  head.path = target.substr(0, target.find('?'));
  head.version = version;

  std::optional<std::string> length;
  for (;;) {
    if (!next_line(rest, line)) {
      if (bytes.size() >= limits.max_head_bytes)
        return fail(HeadProblem::head_too_large, "request headers too large");
      return {};
    }
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t')
      return fail(HeadProblem::malformed, "folded header lines are not accepted");
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
      return fail(HeadProblem::malformed, "malformed header line");
    const auto value = trim_ows(line.substr(colon + 1));
    if (!is_field_value(value)) return fail(HeadProblem::malformed, "control character in a header value");
    if (head.headers.size() >= limits.max_headers)
      return fail(HeadProblem::head_too_large, fmt::format("more than {} headers", limits.max_headers));
    auto name = ascii_lower(line.substr(0, colon));
    if (name == "content-length") {
      if (!parse_length(value)) return fail(HeadProblem::malformed, "Content-Length must be a number");
      if (length && *length != value)
        return fail(HeadProblem::malformed, "conflicting Content-Length headers");
      length = std::string(value);
    }
    head.headers.emplace_back(std::move(name), std::string(value));
  }
  head.head_bytes = end - rest.size();

  const auto te = head.header("transfer-encoding");
  if (te) {
    if (!iequals(*te, "chunked"))
      return fail(HeadProblem::transfer_coding, "only Transfer-Encoding: chunked is accepted");
    if (length) return fail(HeadProblem::malformed, "Content-Length together with Transfer-Encoding");
    const auto count = std::count_if(head.headers.begin(), head.headers.end(),
                                     [](const auto& h) { return h.first == "transfer-encoding"; });
    if (count > 1) return fail(HeadProblem::malformed, "repeated Transfer-Encoding headers");
    if (head.version == "HTTP/1.0") return fail(HeadProblem::malformed, "chunked bodies need HTTP/1.1");
  }
  out.problem = HeadProblem::none;
  return out;
}

bool HeadScanner::worth_parsing(std::string_view bytes, const HeadLimits& limits) {
  bool worth = bytes.size() >= limits.max_head_bytes;
  for (auto at = scanned_; at < bytes.size(); ++at) {
    const auto lf = bytes.find('\n', at);
    if (lf == std::string_view::npos) break;
    at = lf;
    // An empty line: "\n" or "\r\n" right after the start or another line's end.
    const bool empty =
        lf == 0 || bytes[lf - 1] == '\n' || (bytes[lf - 1] == '\r' && (lf == 1 || bytes[lf - 2] == '\n'));
    worth = worth || empty || !line_seen_;
    line_seen_ = line_seen_ || !empty;  // leading empty lines are not the request line
  }
  scanned_ = bytes.size();
  // A request line longer than any target allows is refused before its end arrives.
  return worth || (!line_seen_ && bytes.size() > limits.max_target_bytes + 32);
}

int status_of(HeadProblem problem) noexcept {
  switch (problem) {
    case HeadProblem::malformed:
      return 400;
    case HeadProblem::head_too_large:
      return 431;
    case HeadProblem::target_too_long:
      return 414;
    case HeadProblem::version_unsupported:
      return 505;
    case HeadProblem::transfer_coding:
      return 501;
    case HeadProblem::none:
    case HeadProblem::incomplete:
      break;
  }
  return 0;
}

}  // namespace doorbell::http
