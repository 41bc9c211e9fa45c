#pragma once
// FrameQueue: frames from the capture thread to the face assessor on moodycamel's lock-free
// single-producer single-consumer BlockingReaderWriterQueue, preallocated (offer() never allocates).
// The consumer asks for a frame when it is ready for one and gets the next frame captured, so what it
// looks at is never older than a frame period and no backlog of frames builds up while it works or
// rests: the frames offered meanwhile are passed over (counted, not queued). A frame offered while the
// queue is full — the consumer stalled — is refused and counted as dropped. One producer thread and one
// consumer thread; stats() from any thread.

#include <readerwriterqueue/readerwriterqueue.h>

#include <atomic>
#include <chrono>
#include <cstdint>

#include "doorbell/capture/frame.hpp"
#include "doorbell/common/bounded_queue.hpp"

namespace doorbell::capture {

class FrameQueue {
 public:
  explicit FrameQueue(std::size_t capacity = 2);  // at least this many frames (moodycamel may round up)

  void offer(FramePtr frame);  // the producer: queued if asked for (and if there is room, else dropped)
  struct Taken {
    FramePtr frame;             // null when none came
    std::uint64_t skipped = 0;  // frames passed over since the last take
  };
  // The consumer: asks for the next frame and waits up to `timeout` for it.
  Taken take_next(std::chrono::microseconds timeout);

  QueueStats stats() const noexcept;  // dropped: refused while full

 private:
  moodycamel::BlockingReaderWriterQueue<FramePtr> queue_;
  std::atomic<bool> wanted_{false};
  std::atomic<std::uint64_t> pushed_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> passed_{0};  // offered while not asked for
};

}  // namespace doorbell::capture
