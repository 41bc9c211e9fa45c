#include "doorbell/common/hex.hpp"

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

namespace doorbell {

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const auto b : bytes) out += {kDigits[b >> 4], kDigits[b & 0xF]};
  return out;
}

void fill_random(std::span<std::uint8_t> bytes) {
  thread_local std::random_device device;
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    const auto word = device();  // 32 random bits
    std::memcpy(bytes.data() + i, &word, std::min<std::size_t>(4, bytes.size() - i));
  }
}

std::string random_hex(std::size_t bytes) {
  std::vector<std::uint8_t> random(bytes);
  fill_random(random);
  return to_hex(random);
}

}  // namespace doorbell
