#pragma once
// PresenceWatcher: the optional "visitor without ring" trigger. At presence.check_fps it looks for faces
// (HOG only, its own detector, no model files) in the camera's newest frame; a face at least
// recognition.min_face_px wide that stays presence.dwell_seconds rings the RingIntake as "presence"
// (PresenceLogic decides). start()/stop() from one thread.

#include <memory>

#include "doorbell/capture/frame_ring.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/pipeline/ring_intake.hpp"
#include "doorbell/recognition/face_detector.hpp"

namespace doorbell::trigger {

class PresenceWatcher {
 public:
  PresenceWatcher(const Config& config, const capture::FrameRing& frames, pipeline::RingIntake& intake,
                  Component& component);
  ~PresenceWatcher();
  void start();
  void stop();

 private:
  void run(std::stop_token stop, Component& self);

  const PresenceConfig config_;
  const int min_face_px_;
  const capture::FrameRing& frames_;
  pipeline::RingIntake& intake_;
  Component& component_;
  recognition::FaceDetector detector_;  // used by the worker thread only
  std::unique_ptr<Worker> worker_;      // last: stops before the rest goes
};

}  // namespace doorbell::trigger
