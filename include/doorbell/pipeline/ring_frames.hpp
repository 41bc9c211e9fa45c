#pragma once
// The assessed frames a ring is decided on. First the newest `preroll` frames assessed before the ring
// and fresh at it: when one of them shows a face that passed the quality gate, that is all — nothing is
// waited for. Otherwise the ring waits for frames assessed after it (the assessor hurries meanwhile)
// until one shows a usable face, `after` of them are in, or `wait` has passed. Thread-safe.

#include <chrono>
#include <cstddef>
#include <stop_token>
#include <vector>

#include "doorbell/pipeline/assessed_frames.hpp"

namespace doorbell::pipeline {

struct RingFrameRules {
  std::size_t preroll = 3;                   // pipeline.preroll_frames
  std::size_t after = 2;                     // pipeline.frames_after_ring
  std::chrono::steady_clock::duration wait;  // pipeline.frame_wait_seconds
  std::chrono::steady_clock::duration fresh_for = std::chrono::steady_clock::duration::max();
};

struct RingFrames {
  std::vector<AssessedFramePtr> frames;  // oldest first
  std::size_t after_ring = 0;            // how many of them were captured after the ring
  bool waited = false;                   // the pre-roll showed no usable face
};

RingFrames frames_for_ring(AssessedFrames& assessed, std::chrono::steady_clock::time_point ring,
                           const RingFrameRules& rules, std::stop_token stop);

}  // namespace doorbell::pipeline
