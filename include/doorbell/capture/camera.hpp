#pragma once
// Camera: the capture thread. Reads its FrameSource at camera.fps into the LiveFrame and the face
// assessor's FrameQueue (a live source is drained between the frames kept, so none is stale),
// keeps the "camera" component's heartbeat, and on failure or end of stream marks it not ready and
// reopens with exponential backoff, never blocking anything else. Frames and metrics are thread-safe to read.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <chrono>
#include <memory>
#include <mutex>

#include "doorbell/capture/frame_queue.hpp"
#include "doorbell/capture/frame_source.hpp"
#include "doorbell/capture/live_frame.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"

namespace doorbell::capture {

// What the camera is doing, in facts the door page puts into words. A value.
struct CameraStatus {
  enum class State { connecting, delivering, lost };
  State state = State::connecting;
  SourceInfo source;    // what the last open negotiated (empty before one)
  std::string problem;  // while lost: why ("cannot open …", "stopped sending pictures")
  std::chrono::system_clock::time_point since;  // when this state began (lost: the first failure)
  std::chrono::duration<double> retry_every{};  // while lost: the wait before each new attempt
};

class Camera {
 public:
  Camera(const CameraConfig& config, std::unique_ptr<FrameSource> source, Component& component,
         prometheus::Registry& registry);

  const LiveFrame& live() const noexcept { return live_; }
  void feed(FrameQueue* queue) noexcept { feed_ = queue; }  // every frame goes there too; before start()
  void start();                                             // starts the capture thread
  void stop();                                              // requests stop and joins
  CameraStatus status() const;                              // thread-safe

 private:
  void run(std::stop_token stop, Component& self);
  void capture(std::stop_token stop, Component& self);  // until the source fails or stop
  // The frame due at `due`: a folder or file is read then; a live source is drained until then.
  std::optional<Image> take(std::stop_token stop, std::chrono::steady_clock::time_point due);
  void delivering();
  void lost(const std::string& problem, std::chrono::duration<double> retry_every);

  const CameraConfig config_;
  std::unique_ptr<FrameSource> source_;
  Component& component_;
  LiveFrame live_;
  FrameQueue* feed_ = nullptr;
  std::uint64_t sequence_ = 0;
  prometheus::Counter& captured_;
  prometheus::Counter& dropped_;
  prometheus::Counter& reconnects_;
  prometheus::Gauge& up_;
  prometheus::Gauge& fps_;
  mutable std::mutex status_mutex_;
  CameraStatus status_;
  std::unique_ptr<Worker> worker_;
};

}  // namespace doorbell::capture
