#pragma once
// Image: an owned 8-bit BGR picture (the camera's and OpenCV's layout); ImageView: a non-owning view
// of one. Value types; not synchronised.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace doorbell {

struct ImageView {
  const std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  std::size_t stride = 0;  // bytes from one row to the next
};

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // rows of width * 3 bytes, B G R

  ImageView view() const { return {pixels.data(), width, height, static_cast<std::size_t>(width) * 3}; }
};

}  // namespace doorbell
