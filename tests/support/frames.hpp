#pragma once
// Camera frames made for tests: a sequence number and a capture time, no pixels.

#include <chrono>
#include <cstdint>
#include <memory>

#include "doorbell/capture/frame.hpp"

namespace doorbell::testing {

inline capture::FramePtr numbered_frame(std::uint64_t sequence,
                                        std::chrono::steady_clock::time_point captured = {}) {
  auto f = std::make_shared<capture::Frame>();
  f->sequence = sequence;
  f->captured = captured;
  return f;
}

}  // namespace doorbell::testing
