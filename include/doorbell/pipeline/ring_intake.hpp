#pragma once
// RingIntake: where every doorbell input (HTTP, GPIO, presence) hands in a ring. A ring within
// pipeline.hold_off_seconds of the last accepted one is coalesced; otherwise it is queued for the
// recognition workers, or — when the queue is full — refused. Every outcome is counted and logged, so
// no ring disappears silently; an accepted ring is written to the ring journal before it is queued, so
// not even a crash loses it. Thread-safe.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "doorbell/common/bounded_queue.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/observability/tracer.hpp"
#include "doorbell/storage/ring_journal.hpp"

namespace doorbell::pipeline {

struct Ring {
  std::string source;  // "http", "gpio", "presence"
  std::chrono::steady_clock::time_point at;
  std::chrono::system_clock::time_point wall_time;
  Span span;                       // doorbell.ring: from the ring to its stored decision
  std::int64_t journal_id = 0;     // its RingJournal row, ended by the stored decision (0: not journaled)
  bool clock_synchronised = true;  // wall_time came from a synchronised clock (WallTime)
};

enum class RingOutcome { accepted, coalesced, refused };
const char* to_string(RingOutcome outcome) noexcept;

class RingIntake {
 public:
  // `tracer` may be null (no spans), `journal` too (rings not journaled). A ring's span is a child of the
  // calling thread's current span (an HTTP request's) or a new trace.
  RingIntake(const PipelineConfig& config, prometheus::Registry& registry, const Tracer* tracer = nullptr,
             storage::RingJournal* journal = nullptr);

  RingOutcome ring(const std::string& source);
  BoundedQueue<Ring>& queue() noexcept { return queue_; }
  // When the newest accepted ring came in, from any source.
  std::optional<std::chrono::steady_clock::time_point> last_accepted() const;

 private:
  void journal(Ring& ring);  // caller holds mutex_

  const std::chrono::steady_clock::duration hold_off_;
  const Tracer* tracer_;
  storage::RingJournal* journal_;
  BoundedQueue<Ring> queue_;
  mutable std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> last_accepted_;  // guarded by mutex_
  prometheus::Family<prometheus::Counter>& rings_;
};

}  // namespace doorbell::pipeline
