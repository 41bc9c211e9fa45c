#include "doorbell/common/image_intake.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <opencv2/imgcodecs.hpp>
#include <string_view>

namespace doorbell {
namespace {

using Bytes = std::span<const std::uint8_t>;

int be16(Bytes b, std::size_t at) {
  return (b[at] << 8) | b[at + 1];
}

std::uint32_t be32(Bytes b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
         b[at + 3];
}

bool is_start_of_frame(std::uint8_t marker) {
  // SOF0-3, SOF5-7, SOF9-11, SOF13-15 (C4 is DHT, C8 JPG, CC DAC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

std::optional<ImageHeader> jpeg_header(Bytes b) {
  ImageHeader h;
  h.format = ImageHeader::Format::jpeg;
  std::size_t at = 2;
  bool frame = false;
  while (at + 4 <= b.size()) {
    if (b[at] != 0xFF) return std::nullopt;
    const auto marker = b[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      at += 2;
      continue;
    }
    const auto length = static_cast<std::size_t>(be16(b, at + 2));
    if (length < 2) return std::nullopt;
    if (is_start_of_frame(marker)) {
      if (length < 8 || at + 9 > b.size()) return std::nullopt;
      h.height = be16(b, at + 5);
      h.width = be16(b, at + 7);
      frame = true;
    }
    if (marker ==
        0xDA) {  // start of scan: the entropy-coded data follows; it cannot hold FF D9 but at the end
      if (!frame) return std::nullopt;
      const std::array<std::uint8_t, 2> eoi{0xFF, 0xD9};
      h.complete = std::search(b.begin() + static_cast<std::ptrdiff_t>(at), b.end(), eoi.begin(),
                               eoi.end()) != b.end();
      return h;
    }
    at += 2 + length;
  }
  if (!frame) return std::nullopt;
  return h;  // a frame but no scan: cut short
}

std::optional<ImageHeader> png_header(Bytes b) {
  // Signature (8), then the IHDR chunk: length 13, "IHDR", width, height.
  if (b.size() < 24 || be32(b, 8) != 13 ||
      std::string_view(reinterpret_cast<const char*>(b.data()) + 12, 4) != "IHDR")
    return std::nullopt;
  ImageHeader h;
  h.format = ImageHeader::Format::png;
  const auto width = be32(b, 16);
  const auto height = be32(b, 20);
  if (width > 1'000'000 || height > 1'000'000) return std::nullopt;  // beyond anything PNG encoders write
  h.width = static_cast<int>(width);
  h.height = static_cast<int>(height);
  // The IEND chunk: "IEND" and its CRC close the file (a few bytes of padding after it are tolerated).
  const std::string_view tail(
      reinterpret_cast<const char*>(b.data()) + b.size() - std::min<std::size_t>(b.size(), 64),
      std::min<std::size_t>(b.size(), 64));
  h.complete = tail.find("IEND\xAE\x42\x60\x82") != std::string_view::npos;
  return h;
}

DecodedUpload refuse(DecodedUpload::Problem problem, std::string message) {
  DecodedUpload out;
  out.problem = problem;
  out.message = std::move(message);
  return out;
}

}  // namespace

std::optional<ImageHeader> read_image_header(std::span<const std::uint8_t> bytes) {
  static constexpr std::array<std::uint8_t, 8> kPng{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (bytes.size() >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
    return jpeg_header(bytes);
  if (bytes.size() >= kPng.size() && std::equal(kPng.begin(), kPng.end(), bytes.begin()))
    return png_header(bytes);
  return std::nullopt;
}

DecodedUpload decode_upload(std::span<const std::uint8_t> bytes) {
  using Problem = DecodedUpload::Problem;
  const auto header = read_image_header(bytes);
  if (!header || header->width <= 0 || header->height <= 0)
    return refuse(Problem::not_an_image, "not a JPEG or PNG image");
  const long pixels = static_cast<long>(header->width) * header->height;
  if (pixels > kMaxUploadPixels) {
    return refuse(Problem::too_large,
                  fmt::format("image too large ({}x{}, at most {} megapixels)", header->width, header->height,
                              kMaxUploadPixels / 1'000'000));
  }
  if (!header->complete) return refuse(Problem::truncated, "the image is cut short (its end is missing)");
  int scale = 1;
  if (header->format == ImageHeader::Format::jpeg) {
    while (scale < 8 && pixels / (long{scale} * scale) > kDecodePixels) scale *= 2;
  } else if (pixels > kDecodePixels) {
    return refuse(Problem::too_large, fmt::format("PNG too large ({}x{}, at most {} megapixels): send a JPEG",
                                                  header->width, header->height, kDecodePixels / 1'000'000));
  }
  const int flags = scale == 1   ? cv::IMREAD_COLOR
                    : scale == 2 ? cv::IMREAD_REDUCED_COLOR_2
                    : scale == 4 ? cv::IMREAD_REDUCED_COLOR_4
                                 : cv::IMREAD_REDUCED_COLOR_8;
  const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<std::uint8_t*>(bytes.data()));
  DecodedUpload out;
  out.scale = scale;
  cv::Mat decoded;  // (cv::imdecode into a buffer of ours cannot tell a failed decode: it keeps the buffer)
  try {
    decoded = cv::imdecode(encoded, flags);
  } catch (const cv::Exception&) {
    return refuse(Problem::damaged, "the image data is damaged");
  }
  if (decoded.empty() || decoded.type() != CV_8UC3)
    return refuse(Problem::damaged, "the image data is damaged");
  out.image = {decoded.cols, decoded.rows, {}};
  out.image.pixels.resize(static_cast<std::size_t>(decoded.cols) * static_cast<std::size_t>(decoded.rows) *
                          3);
  cv::Mat wrapped(decoded.rows, decoded.cols, CV_8UC3, out.image.pixels.data());
  decoded.copyTo(wrapped);
  return out;
}

}  // namespace doorbell
