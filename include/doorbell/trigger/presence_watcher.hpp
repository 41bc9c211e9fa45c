#pragma once
// PresenceWatcher: the optional "visitor without ring" trigger. At presence.check_fps it looks at the
// faces the assessor found in the newest frame (no detection of its own); a face at least
// recognition.min_face_px wide that stays presence.dwell_seconds rings the RingIntake as "presence"
// (PresenceLogic decides). start()/stop() from one thread.

#include <memory>

#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/pipeline/assessed_frames.hpp"
#include "doorbell/pipeline/ring_intake.hpp"

namespace doorbell::trigger {

class PresenceWatcher {
 public:
  PresenceWatcher(const Config& config, const pipeline::AssessedFrames& assessed,
                  pipeline::RingIntake& intake, Component& component);
  ~PresenceWatcher();
  void start();
  void stop();

 private:
  void run(std::stop_token stop, Component& self);

  const PresenceConfig config_;
  const int min_face_px_;
  const pipeline::AssessedFrames& assessed_;
  pipeline::RingIntake& intake_;
  Component& component_;
  std::unique_ptr<Worker> worker_;  // last: stops before the rest goes
};

}  // namespace doorbell::trigger
