#include "doorbell/common/random_hex.hpp"

#include <random>

namespace doorbell {

std::string random_hex(std::size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  thread_local std::random_device device;
  std::string out;
  out.reserve(bytes * 2);
  while (out.size() < bytes * 2) {
    auto word = device();  // 32 random bits
    for (int i = 0; i < 8 && out.size() < bytes * 2; ++i, word >>= 4) out.push_back(kDigits[word & 0xF]);
  }
  return out;
}

}  // namespace doorbell
