#pragma once
// MotionDetector: whether something moved at the door since the frames before — cheaply, on a small grey
// copy of each frame (80 pixels wide) compared with a slowly updated background. Sensor noise stays under
// the per-pixel threshold; a change of the whole scene's brightness (a cloud, headlights, the camera's IR
// switching at dusk) is compensated, and a change of most of the scene at once is taken as lighting, not
// motion, and becomes the new background. Only the zone counts (the recognition's region of interest).
// Used by one thread.

#include <cstdint>
#include <vector>

#include "doorbell/common/image.hpp"
#include "doorbell/config/config.hpp"

namespace doorbell::capture {

struct Motion {
  double changed = 0;     // share of the zone's small pixels that changed, 0-1
  bool moving = false;    // changed at least motion.min_area
  bool lighting = false;  // most of the zone changed at once: lighting, re-learnt
};

class MotionDetector {
 public:
  MotionDetector(const MotionConfig& motion, const RecognitionConfig& zone);
  Motion feed(const ImageView& image);

 private:
  void shrink(const ImageView& image);  // into grey_; sizes the copy and the zone for a new frame size

  const MotionConfig config_;
  const RecognitionConfig roi_;
  int width_ = 0;
  int height_ = 0;
  int x0_ = 0, y0_ = 0, x1_ = 0, y1_ = 0;  // the zone, in the small copy's pixels
  std::vector<std::uint8_t> small_;        // the frame shrunk, in colour: reused from frame to frame
  std::vector<std::uint8_t> grey_;
  std::vector<float> background_;  // empty until the first frame (or after the size changed)
};

}  // namespace doorbell::capture
