#pragma once
// StageMetrics: doorbell_recognition_stage_seconds, the time per recognition stage and frame, fed by the
// HTTP API and by the pipeline workers alike. Thread-safe (prometheus-cpp metrics are).

#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "doorbell/model/face.hpp"
#include "doorbell/recognition/stage_timings.hpp"

namespace doorbell::recognition {

class StageMetrics {
 public:
  explicit StageMetrics(prometheus::Registry& registry);

  void observe_assessment(const recognition::StageTimings& t);   // detect, landmarks, chip
  void observe_description(const recognition::StageTimings& t);  // descriptor
  void observe_selection(double seconds);                        // choosing a ring's frames

 private:
  prometheus::Histogram& detect_;
  prometheus::Histogram& landmarks_;
  prometheus::Histogram& chip_;
  prometheus::Histogram& descriptor_;
  prometheus::Histogram& select_;
};

}  // namespace doorbell::recognition
