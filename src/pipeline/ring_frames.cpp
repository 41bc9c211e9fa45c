#include "doorbell/pipeline/ring_frames.hpp"

#include <algorithm>

namespace doorbell::pipeline {
namespace {

bool usable(const std::vector<AssessedFramePtr>& frames) {
  return std::any_of(frames.begin(), frames.end(), [](const auto& a) { return a->score > 0; });
}

}  // namespace

RingFrames frames_for_ring(AssessedFrames& assessed, std::chrono::steady_clock::time_point ring,
                           const RingFrameRules& rules, std::stop_token stop) {
  using Steady = std::chrono::steady_clock;
  const auto oldest_fresh =
      rules.fresh_for >= ring.time_since_epoch() ? Steady::time_point{} : ring - rules.fresh_for;
  RingFrames out{assessed.captured_between(oldest_fresh, ring, rules.preroll), 0, false};
  if (usable(out.frames) || rules.after == 0) return out;
  out.waited = true;
  const auto deadline = Steady::now() + rules.wait;
  std::vector<AssessedFramePtr> after;
  do {
    after = assessed.wait_after(stop, ring, after.size(), deadline);
  } while (!usable(after) && after.size() < rules.after && Steady::now() < deadline &&
           !stop.stop_requested());
  out.after_ring = after.size();
  out.frames.insert(out.frames.end(), after.begin(), after.end());
  return out;
}

}  // namespace doorbell::pipeline
