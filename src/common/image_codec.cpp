#include "doorbell/common/image_codec.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>

namespace doorbell {

std::optional<Image> decode_image(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return std::nullopt;
  const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<std::uint8_t*>(bytes.data()));
  cv::Mat decoded;
  try {
    decoded = cv::imdecode(encoded, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return std::nullopt;
  }
  if (decoded.empty()) return std::nullopt;
  Image image{decoded.cols, decoded.rows, {}};
  image.pixels.resize(static_cast<std::size_t>(decoded.cols) * static_cast<std::size_t>(decoded.rows) * 3);
  cv::Mat wrapped(decoded.rows, decoded.cols, CV_8UC3, image.pixels.data());
  decoded.copyTo(wrapped);
  return image;
}

Image read_image_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read", path.string()));
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto image = decode_image(bytes);
  if (!image)
    throw std::runtime_error(fmt::format("{}: not an image (JPEG, PNG, BMP, WebP ...)", path.string()));
  return std::move(*image);
}

std::vector<std::uint8_t> encode_jpeg(const ImageView& image, int quality) {
  const cv::Mat mat(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.data), image.stride);
  std::vector<std::uint8_t> out;
  cv::imencode(".jpg", mat, out, {cv::IMWRITE_JPEG_QUALITY, quality});
  return out;
}

}  // namespace doorbell
