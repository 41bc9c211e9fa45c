#pragma once
// Frame: one captured picture with its capture times and sequence number. Immutable once captured and
// shared (std::shared_ptr<const Frame>) between the live view, the assessed pre-roll, recognition and the
// HTTP snapshot.

#include <chrono>
#include <cstdint>
#include <memory>

#include "doorbell/common/image.hpp"

namespace doorbell::capture {

struct Frame {
  Image image;
  std::uint64_t sequence = 0;
  std::chrono::steady_clock::time_point captured;
  std::chrono::system_clock::time_point wall_time;
};

using FramePtr = std::shared_ptr<const Frame>;

}  // namespace doorbell::capture
