#pragma once
// dlib's generic image interface over an ImageView, so frames are read in place, never copied.
// Internal to src/recognition.

#include <dlib/image_processing/generic_image.h>

#include "doorbell/common/image.hpp"

namespace doorbell::recognition {

struct BgrView {
  ImageView view;
};
inline long num_rows(const BgrView& image) {
  return image.view.height;
}
inline long num_columns(const BgrView& image) {
  return image.view.width;
}
inline const void* image_data(const BgrView& image) {
  return image.view.data;
}
inline long width_step(const BgrView& image) {
  return static_cast<long>(image.view.stride);
}

}  // namespace doorbell::recognition

namespace dlib {
template <>
struct image_traits<doorbell::recognition::BgrView> {
  using pixel_type = bgr_pixel;
};
}  // namespace dlib
