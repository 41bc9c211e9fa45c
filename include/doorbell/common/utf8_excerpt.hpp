#pragma once
// Text from outside (a receiver's error page) made fit to log and to store: valid UTF-8 that PostgreSQL
// and JSON accept, cut short without splitting a character. Stateless; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace doorbell {

// At most `max_bytes` of `text`, each byte that begins no valid character (and each NUL) as U+FFFD.
std::string utf8_excerpt(std::string_view text, std::size_t max_bytes);

}  // namespace doorbell
