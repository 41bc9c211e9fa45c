#include "doorbell/pipeline/ring_intake.hpp"

#include <spdlog/spdlog.h>

namespace doorbell::pipeline {

const char* to_string(RingOutcome outcome) noexcept {
  switch (outcome) {
    case RingOutcome::accepted:
      return "accepted";
    case RingOutcome::coalesced:
      return "coalesced";
    case RingOutcome::refused:
      return "refused";
  }
  return "unknown";
}

RingIntake::RingIntake(const PipelineConfig& config, prometheus::Registry& registry)
    : hold_off_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(config.hold_off_seconds))),
      queue_(static_cast<std::size_t>(config.queue_capacity), OverflowPolicy::reject_newest),
      rings_(prometheus::BuildCounter()
                 .Name("doorbell_rings_total")
                 .Help("Rings by source and outcome: accepted, coalesced (within the hold-off) or refused "
                       "(queue full)")
                 .Register(registry)) {}

std::optional<std::chrono::steady_clock::time_point> RingIntake::last_accepted() const {
  std::lock_guard lock(mutex_);
  return last_accepted_;
}

RingOutcome RingIntake::ring(const std::string& source) {
  const auto now = std::chrono::steady_clock::now();
  RingOutcome outcome;
  {
    std::lock_guard lock(mutex_);
    if (last_accepted_ && now - *last_accepted_ < hold_off_) {
      outcome = RingOutcome::coalesced;
    } else if (queue_.push(Ring{source, now, std::chrono::system_clock::now()}) == PushResult::rejected) {
      outcome = RingOutcome::refused;
    } else {
      outcome = RingOutcome::accepted;
      last_accepted_ = now;
    }
  }
  rings_.Add({{"source", source}, {"outcome", to_string(outcome)}}).Increment();
  if (outcome == RingOutcome::refused) {
    spdlog::error("ring from {} refused: {} rings already waiting for recognition", source,
                  queue_.capacity());
  } else {
    spdlog::info("ring from {}: {}", source, to_string(outcome));
  }
  return outcome;
}

}  // namespace doorbell::pipeline
