#include "doorbell/pipeline/face_assessor.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "doorbell/common/thread_priority.hpp"

namespace doorbell::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

prometheus::Family<prometheus::Counter>& frames_family(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("doorbell_assessor_frames_total")
      .Help(
          "Camera frames the face assessor looked at (assessed), passed over while busy or resting "
          "(skipped), or passed over because nothing moved and no face was seen lately (idle)")
      .Register(registry);
}

// As many assessments as the pre-roll's time holds: older ones are never fresh enough for a ring.
std::size_t frames_to_hold(const Config& config) {
  const double rate = std::min(config.pipeline.assess_fps, config.camera.fps);
  return static_cast<std::size_t>(std::ceil(config.camera.preroll_seconds.count() * rate)) + 1;
}

}  // namespace

FaceAssessor::FaceAssessor(const Config& config, Component& component, prometheus::Registry& registry)
    : FaceAssessor(config, component, registry,
                   std::make_unique<recognition::FaceEngine>(config.recognition,
                                                             recognition::FaceEngine::Stages::assess)) {}

FaceAssessor::FaceAssessor(const Config& config, Component& component, prometheus::Registry& registry,
                           std::unique_ptr<recognition::FaceAnalyser> engine)
    : recognition_(config.recognition),
      max_fps_(config.pipeline.assess_fps),
      cpu_share_(config.pipeline.assess_cpu_share),
      assessed_(frames_to_hold(config)),
      component_(component),
      engine_(std::move(engine)),
      stages_(registry),
      assessed_total_(frames_family(registry).Add({{"result", "assessed"}})),
      skipped_total_(frames_family(registry).Add({{"result", "skipped"}})),
      idle_total_(frames_family(registry).Add({{"result", "idle"}})),
      motion_active_(
          prometheus::BuildGauge()
              .Name("doorbell_motion_active")
              .Help("1 while the face assessor looks at frames: something moved or a face was seen lately")
              .Register(registry)
              .Add({})),
      motion_first_(config.motion.enabled),
      hold_(std::chrono::duration_cast<Clock::duration>(config.motion.hold_seconds)),
      motion_(config.motion, config.recognition) {}

FaceAssessor::~FaceAssessor() {
  stop();
}

void FaceAssessor::start() {
  worker_ = std::make_unique<Worker>(component_,
                                     [this](std::stop_token stop, Component& self) { run(stop, self); });
}

void FaceAssessor::stop() {
  stop_worker(worker_);
}

void FaceAssessor::run(std::stop_token stop, Component& self) {
  const auto least_period = std::chrono::duration<double>(max_fps_ > 0 ? 1 / max_fps_ : 0);
  if (!lower_thread_priority())
    spdlog::warn("face assessor: could not lower its priority; it competes with rings");
  self.set_ready();
  awake_until_ = Clock::now() + hold_;  // the first seconds are looked at: whoever already stands there
  while (!stop.stop_requested()) {
    self.beat();
    auto taken = queue_.take_next(std::chrono::milliseconds(200));
    skipped_total_.Increment(static_cast<double>(taken.skipped));
    if (!taken.frame) continue;  // no camera frames: nothing to look at
    if (!awake(*taken.frame)) {
      idle_total_.Increment();
      continue;
    }
    const auto start = Clock::now();
    auto assessed = assess_frame(*engine_, std::move(taken.frame), recognition_);
    if (!assessed.assessment->faces.empty()) awake_until_ = std::max(awake_until_, start + hold_);
    assessed_.push(std::move(assessed));
    stages_.observe_assessment(engine_->last_timings());
    assessed_total_.Increment();
    // Rest: at most max_fps_ frames a second, and busy at most cpu_share_ of the time.
    const std::chrono::duration<double> busy = Clock::now() - start;
    const auto rest = std::max(least_period - busy, busy * (1 / cpu_share_ - 1));
    if (!assessed_.rest(stop, start + std::chrono::duration_cast<Clock::duration>(busy + rest))) return;
  }
}

bool FaceAssessor::awake(const capture::Frame& frame) {
  if (!motion_first_) return true;
  const auto now = Clock::now();
  if (motion_.feed(frame.image.view()).moving) awake_until_ = now + hold_;
  const bool active = now < awake_until_;
  motion_active_.Set(active ? 1 : 0);
  return active || assessed_.hurried();  // a ring waiting is answered from the newest frames
}

}  // namespace doorbell::pipeline
