#pragma once
// RequestHead: the request line and headers of one HTTP/1.x request, parsed strictly from the bytes a
// client sent (no body). The connection gate parses with it before any thread or body is committed to
// the request. Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace doorbell::http {

struct HeadLimits {
  std::size_t max_head_bytes = std::size_t{16} * 1024;  // request line and headers together
  std::size_t max_target_bytes = std::size_t{8} * 1024;
  std::size_t max_headers = 100;
};

struct RequestHead {
  std::string method;   // as sent: a token, e.g. "GET"
  std::string target;   // origin form: path and query, e.g. "/api/events?limit=5"
  std::string path;     // target up to '?', still percent-encoded
  std::string version;  // "HTTP/1.1" or "HTTP/1.0"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, values trimmed
  std::size_t head_bytes = 0;                                // bytes up to and including the blank line

  // The first value of a header (name lower-case), if sent.
  std::optional<std::string_view> header(std::string_view name) const&;
  std::optional<std::string_view> header(std::string_view name) const&& = delete;  // would dangle
  // Transfer-Encoding: chunked (the only transfer coding accepted).
  bool chunked() const;
  // Content-Length, when sent (validated by the parser).
  std::optional<std::uint64_t> content_length() const;
  bool keep_alive() const;  // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive"
};

enum class HeadProblem {
  none,
  incomplete,           // need more bytes
  malformed,            // 400
  head_too_large,       // 431
  target_too_long,      // 414
  version_unsupported,  // 505
  transfer_coding,      // 501: a Transfer-Encoding other than chunked
};

struct HeadParse {
  HeadProblem problem = HeadProblem::incomplete;
  std::string message;  // for a 4xx/5xx answer; empty while incomplete
  RequestHead head;     // valid when problem == none
};

// Parses `bytes` from the start of a request. Bare LF line ends are accepted; obsolete line folding,
// control characters, conflicting Content-Length values and Content-Length with chunked are not.
HeadParse parse_request_head(std::string_view bytes, const HeadLimits& limits = {});

// Finds, as bytes arrive, when a head is worth parsing: its first line is complete (a bad request line is
// refused at once), an empty line ended (the end of the head), or a limit was reached. Each byte is
// looked at once, so a head trickled a byte at a time costs its length, not length × reads. Reset it
// whenever the bytes it scanned are consumed. Not thread-safe.
class HeadScanner {
 public:
  // True when parse_request_head(bytes) may now decide more than "incomplete". `bytes` grows between calls.
  bool worth_parsing(std::string_view bytes, const HeadLimits& limits = {});
  void reset() noexcept { *this = HeadScanner(); }

 private:
  std::size_t scanned_ = 0;
  bool line_seen_ = false;
};

// The status code a problem is answered with (0 for none/incomplete).
int status_of(HeadProblem problem) noexcept;

}  // namespace doorbell::http
