#pragma once
// ChunkedBody: decodes a chunked request body as its bytes arrive, refusing it as soon as the decoded
// size passes a limit (so an endless or oversized body costs no more than the limit). One per request;
// not thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace doorbell::http {

class ChunkedBody {
 public:
  explicit ChunkedBody(std::size_t max_body) : max_body_(max_body) {}

  enum class Status { more, done, too_large, malformed };

  // Decodes what it can of `in`, appending data to `body`; `consumed` is set to the bytes of `in` used.
  // After `done`, the bytes of `in` past `consumed` belong to the next request.
  Status feed(std::string_view in, std::size_t& consumed, std::string& body);

 private:
  enum class State { size_line, data, data_end, trailer, done };

  std::size_t max_body_;
  State state_ = State::size_line;
  std::size_t remaining_ = 0;  // of the current chunk
  std::string line_;           // the size line or trailer line being read
  std::size_t trailer_bytes_ = 0;
};

}  // namespace doorbell::http
