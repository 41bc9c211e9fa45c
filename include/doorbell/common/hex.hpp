#pragma once
// Bytes as lowercase hex, and random bytes from the operating system's generator (std::random_device:
// getrandom/rdrand) for identifiers. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace doorbell {

std::string to_hex(std::span<const std::uint8_t> bytes);
void fill_random(std::span<std::uint8_t> bytes);
// `bytes` random bytes as 2 * bytes hex digits.
std::string random_hex(std::size_t bytes);

}  // namespace doorbell
