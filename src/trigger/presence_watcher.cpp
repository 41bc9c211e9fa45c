#include "doorbell/trigger/presence_watcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "doorbell/common/clock.hpp"
#include "doorbell/common/interruptible_sleep.hpp"
#include "doorbell/trigger/presence_logic.hpp"

namespace doorbell::trigger {

PresenceWatcher::PresenceWatcher(const Config& config, const pipeline::AssessedFrames& assessed,
                                 pipeline::RingIntake& intake, Component& component)
    : config_(config.presence),
      min_face_px_(config.recognition.min_face_px),
      assessed_(assessed),
      intake_(intake),
      component_(component) {}

PresenceWatcher::~PresenceWatcher() {
  stop();
}

void PresenceWatcher::start() {
  worker_ = std::make_unique<Worker>(component_,
                                     [this](std::stop_token stop, Component& self) { run(stop, self); });
}

void PresenceWatcher::stop() {
  stop_worker(worker_);
}

void PresenceWatcher::run(std::stop_token stop, Component& self) {
  PresenceLogic logic(
      {ticks(config_.dwell_seconds), ticks(config_.gap_seconds), ticks(config_.cooldown_seconds)});
  const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(1.0 / config_.check_fps));
  std::uint64_t last_sequence = 0;
  self.set_ready();
  auto next = std::chrono::steady_clock::now();
  while (sleep_until(stop, next)) {
    self.beat();
    next = std::max(next + period, std::chrono::steady_clock::now());
    const auto latest = assessed_.latest();
    if (!latest || latest->frame->sequence == last_sequence) continue;  // nothing new seen
    last_sequence = latest->frame->sequence;
    const auto& faces = latest->assessment->faces;
    const bool someone = std::any_of(faces.begin(), faces.end(),
                                     [this](const auto& face) { return face.box.width >= min_face_px_; });
    if (logic.observe(latest->frame->captured, someone, intake_.last_accepted())) {
      spdlog::info("presence: a face has stayed at the door for {:.0f} s without a ring",
                   config_.dwell_seconds.count());
      intake_.ring("presence");
    }
  }
}

}  // namespace doorbell::trigger
