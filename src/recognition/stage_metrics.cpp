#include "doorbell/recognition/stage_metrics.hpp"

namespace doorbell::recognition {
namespace {

const prometheus::Histogram::BucketBoundaries kStageBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                            0.1,   0.25,   0.5,   1,    2.5};

prometheus::Family<prometheus::Histogram>& family(prometheus::Registry& registry) {
  return prometheus::BuildHistogram()
      .Name("doorbell_recognition_stage_seconds")
      .Help("Time per recognition stage: detect, landmarks, chip, descriptor per frame; select per ring")
      .Register(registry);
}

}  // namespace

StageMetrics::StageMetrics(prometheus::Registry& registry)
    : detect_(family(registry).Add({{"stage", "detect"}}, kStageBuckets)),
      landmarks_(family(registry).Add({{"stage", "landmarks"}}, kStageBuckets)),
      chip_(family(registry).Add({{"stage", "chip"}}, kStageBuckets)),
      descriptor_(family(registry).Add({{"stage", "descriptor"}}, kStageBuckets)),
      select_(family(registry).Add({{"stage", "select"}}, kStageBuckets)) {}

void StageMetrics::observe_assessment(const recognition::StageTimings& t) {
  detect_.Observe(t.detect_ms / 1000);
  landmarks_.Observe(t.landmarks_ms / 1000);
  chip_.Observe(t.chip_ms / 1000);
}

void StageMetrics::observe_description(const recognition::StageTimings& t) {
  descriptor_.Observe(t.descriptor_ms / 1000);
}

void StageMetrics::observe_selection(double seconds) {
  select_.Observe(seconds);
}

}  // namespace doorbell::recognition
