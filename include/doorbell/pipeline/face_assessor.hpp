#pragma once
// FaceAssessor: the thread that watches while nobody rings. It takes the next frame from its FrameQueue
// (the camera feeds it), finds, aligns and gates the faces with its own FaceEngine (no
// descriptors: those are the ring's) and keeps them with the frame in AssessedFrames, which rings and
// presence read. It assesses at most pipeline.assess_fps frames a second and rests so as to use at most
// pipeline.assess_cpu_share of a CPU — except while a ring waits for frames: then as fast as it can.
// Motion first (motion.enabled): it looks at a frame only while something moved or a face was seen in
// the last motion.hold_seconds, or a ring waits; otherwise the frame is passed over as idle.
// Keeps the "face_assessor" component's heartbeat. start()/stop() from one thread; queue() and
// assessed() are thread-safe.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>

#include "doorbell/capture/frame_queue.hpp"
#include "doorbell/capture/motion_detector.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/pipeline/assessed_frames.hpp"
#include "doorbell/recognition/face_engine.hpp"
#include "doorbell/recognition/stage_metrics.hpp"

namespace doorbell::pipeline {

class FaceAssessor {
 public:
  // Holds the frames it assessed in the last camera.preroll_seconds. Loads the detector and the landmark
  // model; throws recognition::ModelError.
  FaceAssessor(const Config& config, Component& component, prometheus::Registry& registry);
  // With `engine` to find the faces.
  FaceAssessor(const Config& config, Component& component, prometheus::Registry& registry,
               std::unique_ptr<recognition::FaceAnalyser> engine);
  ~FaceAssessor();

  capture::FrameQueue& queue() noexcept { return queue_; }
  AssessedFrames& assessed() noexcept { return assessed_; }
  void start();
  void stop();

 private:
  void run(std::stop_token stop, Component& self);
  // Whether `frame` is worth finding faces in (motion first); used by the worker thread.
  bool awake(const capture::Frame& frame);

  const RecognitionConfig recognition_;
  const double max_fps_;
  const double cpu_share_;
  capture::FrameQueue queue_;
  AssessedFrames assessed_;
  Component& component_;
  const std::unique_ptr<recognition::FaceAnalyser> engine_;  // used by the worker thread only
  recognition::StageMetrics stages_;
  prometheus::Counter& assessed_total_;
  prometheus::Counter& skipped_total_;
  prometheus::Counter& idle_total_;
  prometheus::Gauge& motion_active_;
  const bool motion_first_;
  const std::chrono::steady_clock::duration hold_;
  capture::MotionDetector motion_;                     // the worker thread's
  std::chrono::steady_clock::time_point awake_until_;  // the worker thread's
  std::unique_ptr<Worker> worker_;                     // last: stops before the rest goes
};

}  // namespace doorbell::pipeline
