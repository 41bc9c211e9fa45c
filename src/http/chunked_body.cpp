#include "doorbell/http/chunked_body.hpp"

#include <algorithm>

namespace doorbell::http {
namespace {

constexpr std::size_t kMaxLine = 1024;          // a size line with its extensions, or one trailer line
constexpr std::size_t kMaxTrailerBytes = 8192;  // all trailer lines together

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The chunk size of a size line ("1a3;ext=x"); false when malformed or absurdly large.
bool parse_size(std::string_view line, std::size_t& size) {
  const auto end = std::min(line.find(';'), line.size());
  auto digits = line.substr(0, end);
  while (!digits.empty() && (digits.back() == ' ' || digits.back() == '\t')) digits.remove_suffix(1);
  if (digits.empty() || digits.size() > 15) return false;
  size = 0;
  for (const char c : digits) {
    const int v = hex_value(c);
    if (v < 0) return false;
    size = size * 16 + static_cast<std::size_t>(v);
  }
  return true;
}

}  // namespace

ChunkedBody::Status ChunkedBody::feed(std::string_view in, std::size_t& consumed, std::string& body) {
  consumed = 0;
  while (consumed < in.size()) {
    switch (state_) {
      case State::size_line:
      case State::trailer:
      case State::data_end: {
        const char c = in[consumed++];
        if (c != '\n') {
          if (c != '\r') line_ += c;
          if (line_.size() > kMaxLine) return Status::malformed;
          if (state_ == State::trailer && ++trailer_bytes_ > kMaxTrailerBytes) return Status::malformed;
          continue;
        }
        std::string line;
        line.swap(line_);
        if (state_ == State::data_end) {
          if (!line.empty()) return Status::malformed;  // data must end exactly at CRLF
          state_ = State::size_line;
        } else if (state_ == State::trailer) {
          if (line.empty()) {
            state_ = State::done;
            return Status::done;
          }
        } else {
          std::size_t size = 0;
          if (!parse_size(line, size)) return Status::malformed;
          if (size > max_body_ - std::min(max_body_, body.size())) return Status::too_large;
          remaining_ = size;
          state_ = size == 0 ? State::trailer : State::data;
        }
        break;
      }
      case State::data: {
        const auto take = std::min(remaining_, in.size() - consumed);
        body.append(in.substr(consumed, take));
        consumed += take;
        remaining_ -= take;
        if (remaining_ == 0) state_ = State::data_end;
        break;
      }
      case State::done:
        return Status::done;
    }
  }
  return state_ == State::done ? Status::done : Status::more;
}

}  // namespace doorbell::http
