#pragma once
// Random identifiers from the operating system's generator (std::random_device: getrandom/rdrand), as
// lowercase hex. Thread-safe.

#include <cstddef>
#include <string>

namespace doorbell {

// `bytes` random bytes as 2 * bytes hex digits.
std::string random_hex(std::size_t bytes);

}  // namespace doorbell
