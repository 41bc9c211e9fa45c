#pragma once
// Images that come from the network (uploads to /api/people/{id}/faces and /api/identify): only JPEG
// and PNG are taken; their format, size and completeness are read from the bytes' headers before
// anything is decoded, so a small file declaring a huge picture (a decompression bomb) costs nothing,
// a truncated one is refused instead of decoding half grey, and a large JPEG is decoded at 1/2, 1/4 or
// 1/8 of its size (libjpeg's scaled decoding) to stay within kDecodePixels. Stateless; thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "doorbell/common/image.hpp"

namespace doorbell {

inline constexpr long kMaxUploadPixels = 40'000'000;  // declared size of an upload
inline constexpr long kDecodePixels = 8'000'000;      // what is actually decoded (24 MB of BGR)

struct ImageHeader {
  enum class Format { jpeg, png } format = Format::jpeg;
  int width = 0;
  int height = 0;
  bool complete = false;  // the end marker (JPEG EOI after the scan, PNG IEND) is there
};

// What the header declares; empty when the bytes are not a JPEG or PNG this can read.
std::optional<ImageHeader> read_image_header(std::span<const std::uint8_t> bytes);

struct DecodedUpload {
  enum class Problem { none, not_an_image, too_large, truncated, damaged };
  Problem problem = Problem::none;
  std::string message;  // for the client, when there is a problem
  Image image;
  int scale = 1;  // the image was decoded at 1/scale of its declared size
};

DecodedUpload decode_upload(std::span<const std::uint8_t> bytes);

}  // namespace doorbell
