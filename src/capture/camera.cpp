#include "doorbell/capture/camera.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "doorbell/common/interruptible_sleep.hpp"
#include "doorbell/common/thread_priority.hpp"
#include "orientation.hpp"

namespace doorbell::capture {
namespace {

using Clock = std::chrono::steady_clock;

prometheus::Counter& counter(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r).Add({});
}

prometheus::Gauge& gauge(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r).Add({});
}

}  // namespace

Camera::Camera(const CameraConfig& config, std::unique_ptr<FrameSource> source, Component& component,
               prometheus::Registry& registry)
    : config_(config),
      source_(std::move(source)),
      component_(component),
      // Fresh: within the pre-roll, and never less than two frame periods.
      live_(std::chrono::duration_cast<LiveFrame::Duration>(
          std::max(config.preroll_seconds, Seconds(2 / config.fps)))),
      captured_(counter(registry, "doorbell_frames_captured_total", "Frames read from the camera")),
      dropped_(counter(registry, "doorbell_frames_dropped_total",
                       "Frame periods skipped because reading the camera took longer than a period")),
      reconnects_(
          counter(registry, "doorbell_camera_reconnects_total", "Times the camera source was reopened")),
      up_(gauge(registry, "doorbell_camera_up", "1 while the camera delivers frames")),
      fps_(gauge(registry, "doorbell_capture_fps", "Frames captured per second, over the last second")) {
  status_.since = std::chrono::system_clock::now();
}

CameraStatus Camera::status() const {
  std::lock_guard lock(status_mutex_);
  return status_;
}

void Camera::delivering() {
  const auto info = source_->info();
  std::lock_guard lock(status_mutex_);
  status_ = {CameraStatus::State::delivering, info, {}, std::chrono::system_clock::now(), {}};
}

void Camera::lost(const std::string& problem, std::chrono::duration<double> retry_every) {
  std::lock_guard lock(status_mutex_);
  if (status_.state != CameraStatus::State::lost) {
    status_.state = CameraStatus::State::lost;
    status_.since = std::chrono::system_clock::now();
  }
  status_.problem = problem;
  status_.retry_every = retry_every;
}

void Camera::start() {
  worker_ = std::make_unique<Worker>(component_,
                                     [this](std::stop_token stop, Component& self) { run(stop, self); });
}

void Camera::stop() {
  stop_worker(worker_);
}

void Camera::run(std::stop_token stop, Component& self) {
  lower_thread_priority(5);  // decoding frames yields to probes, rings and notifications, not to the assessor
  auto backoff = std::chrono::duration<double>(0.5);
  const Seconds ceiling = config_.reconnect_max_seconds;
  bool first = true;
  while (!stop.stop_requested()) {
    if (!first) reconnects_.Increment();
    first = false;
    try {
      source_->open();
      backoff = std::chrono::duration<double>(0.5);
      capture(stop, self);
      lost("stopped sending pictures", backoff);
    } catch (const std::exception& e) {
      spdlog::warn("camera: {}; retrying in {:.1f} s", e.what(), backoff.count());
      self.set_not_ready(std::string("camera: ") + e.what());
      lost(e.what(), backoff);
    }
    up_.Set(0);
    fps_.Set(0);
    if (!sleep_for(stop, backoff)) break;
    backoff = std::min(backoff * 2, ceiling);
  }
}

void Camera::capture(std::stop_token stop, Component& self) {
  const auto period =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / config_.fps));
  auto next = Clock::now();
  auto window_start = next;
  int window_frames = 0;
  while (!stop.stop_requested()) {
    auto image = take(stop, next);
    if (stop.stop_requested()) return;
    if (!image) {
      spdlog::warn("camera: source lost or ended");
      self.set_not_ready("camera: source lost or ended");
      return;
    }
    orient(*image, config_.rotation, config_.hflip);
    auto frame = std::make_shared<Frame>(
        Frame{std::move(*image), ++sequence_, Clock::now(), std::chrono::system_clock::now()});
    if (feed_ != nullptr) feed_->offer(frame);
    live_.push(std::move(frame));
    captured_.Increment();
    self.beat();
    if (up_.Value() == 0) {
      up_.Set(1);
      self.set_ready();
      delivering();
      spdlog::info("camera: delivering frames");
    }
    const auto now = Clock::now();
    ++window_frames;
    if (now - window_start >= std::chrono::seconds(1)) {
      fps_.Set(window_frames / std::chrono::duration<double>(now - window_start).count());
      window_start = now;
      window_frames = 0;
    }
    next += period;
    if (now > next) {  // fell behind: skip the missed periods rather than bursting
      const auto missed = (now - next) / period;
      dropped_.Increment(static_cast<double>(missed));
      next += period * missed;
    }
  }
}

std::optional<Image> Camera::take(std::stop_token stop, std::chrono::steady_clock::time_point due) {
  if (!source_->live()) {
    if (!sleep_until(stop, due)) return std::nullopt;
    return source_->read();
  }
  do {  // every frame the source offers until then is taken off it: the one kept is the newest
    if (!source_->grab()) return std::nullopt;
  } while (Clock::now() < due && !stop.stop_requested());
  return source_->retrieve();
}

}  // namespace doorbell::capture
