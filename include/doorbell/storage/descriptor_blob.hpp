#pragma once
// A face descriptor as SQLite stores it: 128 floats, 512 bytes in the machine's byte order. Stateless.

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "doorbell/model/face.hpp"

namespace doorbell::storage {

inline std::span<const std::uint8_t> descriptor_bytes(const model::Descriptor& d) {
  return {reinterpret_cast<const std::uint8_t*>(d.data()), sizeof(d)};
}

// Appends the descriptor a blob holds; a blob of another size (never written so) is skipped.
inline void read_descriptor(std::span<const std::uint8_t> blob, std::vector<model::Descriptor>& out) {
  if (blob.size() == sizeof(model::Descriptor))
    std::memcpy(out.emplace_back().data(), blob.data(), blob.size());
}

}  // namespace doorbell::storage
