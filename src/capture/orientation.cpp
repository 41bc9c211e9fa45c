#include "orientation.hpp"

#include <opencv2/core.hpp>

namespace doorbell::capture {

void orient(Image& image, int rotation, bool hflip) {
  if (rotation == 0 && !hflip) return;
  cv::Mat mat(image.height, image.width, CV_8UC3, image.pixels.data());
  if (rotation == 90 || rotation == 270) {
    Image turned{image.height, image.width, std::vector<std::uint8_t>(image.pixels.size())};
    cv::Mat out(turned.height, turned.width, CV_8UC3, turned.pixels.data());
    cv::rotate(mat, out, rotation == 90 ? cv::ROTATE_90_CLOCKWISE : cv::ROTATE_90_COUNTERCLOCKWISE);
    image = std::move(turned);
    mat = out;
  } else if (rotation == 180) {
    cv::flip(mat, mat, -1);
  }
  if (hflip) cv::flip(mat, mat, 1);
}

}  // namespace doorbell::capture
