#pragma once
// JPEG/PNG decoding and JPEG encoding (OpenCV imgcodecs). Stateless; thread-safe.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "doorbell/common/image.hpp"

namespace doorbell {

// Empty when the bytes are not an image OpenCV can decode.
std::optional<Image> decode_image(std::span<const std::uint8_t> bytes);
// Throws std::runtime_error naming the file when it cannot be read or decoded.
Image read_image_file(const std::filesystem::path& path);
std::vector<std::uint8_t> encode_jpeg(const ImageView& image, int quality = 90);

}  // namespace doorbell
