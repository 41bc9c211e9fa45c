#pragma once
// Test images made on the spot with OpenCV: a gradient, and a decompression bomb — a small real JPEG or
// PNG whose header claims 30000x30000 pixels.

#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string_view>
#include <vector>

namespace doorbell::testing {

inline cv::Mat gradient_image(int width, int height) {
  cv::Mat m(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x)
      m.at<cv::Vec3b>(y, x) = {static_cast<uchar>(x), static_cast<uchar>(y), 90};
  }
  return m;
}

inline std::vector<std::uint8_t> encode_image(const cv::Mat& image, const char* extension) {
  std::vector<std::uint8_t> out;
  cv::imencode(extension, image, out);
  return out;
}

// `extension` ".jpg" or ".png".
inline std::vector<std::uint8_t> bomb_image(const char* extension) {
  auto bytes = encode_image(gradient_image(16, 16), extension);
  const std::uint8_t big[2] = {0x75, 0x30};  // 30000
  if (std::string_view(extension) == ".png") {
    for (const std::size_t at : {16u, 20u}) {  // IHDR width and height, 32 bits each
      bytes[at] = 0;
      bytes[at + 1] = 0;
      bytes[at + 2] = big[0];
      bytes[at + 3] = big[1];
    }
    return bytes;
  }
  for (std::size_t at = 2; at + 9 < bytes.size(); ++at) {
    if (bytes[at] == 0xFF && bytes[at + 1] == 0xC0) {  // SOF0: precision, height, width
      for (const std::size_t field : {5u, 7u}) {
        bytes[at + field] = big[0];
        bytes[at + field + 1] = big[1];
      }
      break;
    }
  }
  return bytes;
}

}  // namespace doorbell::testing
