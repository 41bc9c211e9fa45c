#include "doorbell/capture/frame_queue.hpp"

namespace doorbell::capture {

FrameQueue::FrameQueue(std::size_t capacity) : queue_(capacity) {}

void FrameQueue::offer(FramePtr frame) {
  if (!wanted_.exchange(false, std::memory_order_acq_rel)) {
    passed_.fetch_add(1, std::memory_order_relaxed);
  } else if (queue_.try_enqueue(std::move(frame))) {
    pushed_.fetch_add(1, std::memory_order_relaxed);
  } else {
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
}

FrameQueue::Taken FrameQueue::take_next(std::chrono::microseconds timeout) {
  Taken taken;
  wanted_.store(true, std::memory_order_release);
  if (queue_.wait_dequeue_timed(taken.frame, timeout)) {
    FramePtr newer;  // only after a stall: a frame asked for earlier and not taken then
    while (queue_.try_dequeue(newer)) {
      taken.frame = std::move(newer);
      ++taken.skipped;
    }
  }
  taken.skipped += passed_.exchange(0, std::memory_order_relaxed);
  return taken;
}

QueueStats FrameQueue::stats() const noexcept {
  return {queue_.size_approx(), queue_.max_capacity(), pushed_.load(std::memory_order_relaxed),
          dropped_.load(std::memory_order_relaxed)};
}

}  // namespace doorbell::capture
