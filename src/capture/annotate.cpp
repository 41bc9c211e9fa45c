#include "doorbell/capture/annotate.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace doorbell::capture {

std::vector<std::uint8_t> annotated_jpeg(const Image& frame, const std::vector<BoxLabel>& labels,
                                         int quality) {
  cv::Mat canvas =
      cv::Mat(frame.height, frame.width, CV_8UC3, const_cast<std::uint8_t*>(frame.pixels.data())).clone();
  const int thickness = std::max(2, frame.width / 400);
  const double scale = std::max(0.6, frame.width / 1200.0);
  for (const auto& l : labels) {
    const cv::Scalar colour = l.colour == LabelColour::known         ? cv::Scalar(60, 180, 60)
                              : l.colour == LabelColour::blacklisted ? cv::Scalar(40, 40, 220)
                                                                     : cv::Scalar(0, 190, 240);
    cv::rectangle(canvas, cv::Rect(l.box.x, l.box.y, l.box.width, l.box.height), colour, thickness);
    int baseline = 0;
    const auto size = cv::getTextSize(l.text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
    const cv::Point origin(l.box.x, std::max(size.height + 4, l.box.y - 6));
    cv::rectangle(canvas, origin + cv::Point(-2, baseline),
                  origin + cv::Point(size.width + 2, -size.height - 4), colour, cv::FILLED);
    cv::putText(canvas, l.text, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255),
                thickness);
  }
  std::vector<std::uint8_t> out;
  cv::imencode(".jpg", canvas, out, {cv::IMWRITE_JPEG_QUALITY, quality});
  return out;
}

std::vector<std::uint8_t> face_crop_jpeg(const Image& frame, const model::Box& box, int side, int quality) {
  const cv::Mat whole(frame.height, frame.width, CV_8UC3, const_cast<std::uint8_t*>(frame.pixels.data()));
  const int pad = std::max(box.width, box.height) / 4;
  const cv::Rect around = cv::Rect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad) &
                          cv::Rect(0, 0, whole.cols, whole.rows);
  std::vector<std::uint8_t> out;
  if (around.empty()) return out;
  cv::Mat crop = whole(around);
  const double scale = std::min(1.0, static_cast<double>(side) / std::max(around.width, around.height));
  if (scale < 1.0) cv::resize(crop, crop, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::imencode(".jpg", crop, out, {cv::IMWRITE_JPEG_QUALITY, quality});
  return out;
}

}  // namespace doorbell::capture
