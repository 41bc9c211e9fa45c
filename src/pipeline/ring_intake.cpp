#include "doorbell/pipeline/ring_intake.hpp"

#include <spdlog/spdlog.h>

#include "doorbell/common/clock.hpp"
#include "doorbell/common/wall_clock.hpp"
#include "doorbell/model/time_text.hpp"

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

RingIntake::RingIntake(const PipelineConfig& config, prometheus::Registry& registry, const Tracer* tracer,
                       storage::RingJournal* journal)
    : hold_off_(ticks(config.hold_off_seconds)),
      tracer_(tracer),
      journal_(journal),
      queue_(static_cast<std::size_t>(config.queue_capacity), OverflowPolicy::reject_newest),
      rings_(prometheus::BuildCounter()
                 .Name("doorbell_rings_total")
                 .Help("Rings by source and outcome: accepted, coalesced (within the hold-off) or refused "
                       "(queue full)")
                 .Register(registry)) {
  // Every series from the start, so that rates and alerts see the first ring of each kind.
  for (const char* source : {"gpio", "http", "presence"}) {
    for (const auto outcome : {RingOutcome::accepted, RingOutcome::coalesced, RingOutcome::refused}) {
      rings_.Add({{"source", source}, {"outcome", to_string(outcome)}});
    }
  }
}

std::optional<std::chrono::steady_clock::time_point> RingIntake::last_accepted() const {
  std::lock_guard lock(mutex_);
  return last_accepted_;
}

void RingIntake::journal(Ring& ring) {
  if (journal_ == nullptr) return;
  try {
    ring.journal_id = journal_->record({0, model::iso_time(ring.wall_time), ring.source,
                                        ring.span.context().sampled ? ring.span.context().trace_id_hex() : "",
                                        ring.span.context().sampled ? ring.span.context().span_id_hex() : "",
                                        ring.clock_synchronised});
  } catch (const std::exception& e) {  // still recognised and notified; only a crash now would lose it
    spdlog::error("ring from {}: not written to the ring journal: {}", ring.source, e.what());
  }
}

RingOutcome RingIntake::ring(const std::string& source) {
  const auto now = std::chrono::steady_clock::now();
  Span span = tracer_ != nullptr ? tracer_->start("doorbell.ring") : Span();
  span.set("doorbell.ring.source", source);
  RingOutcome outcome;
  {
    std::lock_guard lock(mutex_);
    const auto wall = wall_now();
    Ring ring{source, now, wall.time, std::move(span), 0, wall.synchronised};
    if (last_accepted_ && now - *last_accepted_ < hold_off_) {
      outcome = RingOutcome::coalesced;
    } else if (journal(ring); queue_.push(std::move(ring)) == PushResult::rejected) {
      // NOLINTNEXTLINE(bugprone-use-after-move): a rejected push leaves the ring with the caller
      if (journal_ != nullptr && ring.journal_id != 0) journal_->forget(ring.journal_id);
      outcome = RingOutcome::refused;
    } else {
      outcome = RingOutcome::accepted;
      last_accepted_ = now;
    }
    if (outcome != RingOutcome::accepted) {  // this ring's trace ends here
      // A rejected push leaves the ring with the caller (OverflowPolicy::reject_newest), so it is whole.
      // NOLINTNEXTLINE(bugprone-use-after-move)
      ring.span.set("doorbell.ring.outcome", to_string(outcome));
      if (outcome == RingOutcome::refused) ring.span.set_error("refused: the ring queue is full");
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
