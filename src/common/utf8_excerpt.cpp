#include "doorbell/common/utf8_excerpt.hpp"

#include <utf8proc.h>

namespace doorbell {

std::string utf8_excerpt(std::string_view text, std::size_t max_bytes) {
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  const auto* at = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t code_point = 0;
    auto length = utf8proc_iterate(at, left, &code_point);
    std::string_view piece;
    if (length <= 0 || code_point == 0) {
      piece = kReplacement;
      length = 1;
    } else {
      piece = std::string_view(reinterpret_cast<const char*>(at), static_cast<std::size_t>(length));
    }
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
    at += length;
    left -= length;
  }
  return out;
}

}  // namespace doorbell
