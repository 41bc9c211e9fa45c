#pragma once
// Milliseconds spent in each stage of FaceEngine's last call. A value type.

namespace doorbell::recognition {

struct StageTimings {
  double detect_ms = 0;
  double landmarks_ms = 0;
  double chip_ms = 0;
  double descriptor_ms = 0;
};

}  // namespace doorbell::recognition
