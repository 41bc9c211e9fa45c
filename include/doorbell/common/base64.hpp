#pragma once
// Standard base64 (RFC 4648, with padding). Stateless; thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace doorbell {

std::string base64(std::span<const std::uint8_t> bytes);
inline std::string base64(std::string_view text) {
  return base64(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace doorbell
