#pragma once
// BoundedQueue: a bounded multi-producer multi-consumer queue on moodycamel's lock-free
// BlockingConcurrentQueue, with a named overflow policy and depth/drop counters. Thread-safe.

#include <blockingconcurrentqueue.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "doorbell/common/tsan.hpp"

namespace doorbell {

// What push() does when the queue is full.
enum class OverflowPolicy {
  reject_newest,  // the new item is refused and left with the caller (events: caller logs it)
  drop_oldest,    // the oldest queued item is discarded to make room (frames: newest wins)
};

const char* to_string(OverflowPolicy policy) noexcept;

enum class PushResult { pushed, pushed_dropping_oldest, rejected };

// A consistent-enough snapshot for metrics; depth is approximate while producers are active.
struct QueueStats {
  std::size_t depth = 0;
  std::size_t capacity = 0;
  std::uint64_t pushed = 0;
  std::uint64_t dropped = 0;
};

template <class T>
class BoundedQueue {
 public:
  BoundedQueue(std::size_t capacity, OverflowPolicy policy)
      : queue_(capacity), capacity_(capacity), policy_(policy) {}

  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  // Adds an item, applying the overflow policy when full. On `rejected` the item is not moved from.
  PushResult push(T&& item) {
    PushResult result = PushResult::pushed;
    std::size_t depth = depth_.load(std::memory_order_relaxed);
    for (;;) {
      if (depth < capacity_) {
        if (depth_.compare_exchange_weak(depth, depth + 1, std::memory_order_acq_rel)) break;
        continue;
      }
      if (policy_ == OverflowPolicy::reject_newest) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return PushResult::rejected;
      }
      T victim;
      if (queue_.try_dequeue(victim)) {  // the victim's slot is reused: depth stays the same
        tsan::acquire(this);
        dropped_.fetch_add(1, std::memory_order_relaxed);
        result = PushResult::pushed_dropping_oldest;
        break;
      }
      depth = depth_.load(std::memory_order_relaxed);  // a consumer or a reserving producer raced us
    }
    tsan::release(this);
    queue_.enqueue(std::move(item));
    pushed_.fetch_add(1, std::memory_order_relaxed);
    return result;
  }

  // Takes an item if one is queued, without waiting.
  std::optional<T> try_pop() {
    T item;
    if (!queue_.try_dequeue(item)) return std::nullopt;
    tsan::acquire(this);
    depth_.fetch_sub(1, std::memory_order_acq_rel);
    return item;
  }

  // Waits up to `timeout` for an item.
  template <class Rep, class Period>
  std::optional<T> pop_for(std::chrono::duration<Rep, Period> timeout) {
    T item;
    if (!queue_.wait_dequeue_timed(item, std::chrono::duration_cast<std::chrono::microseconds>(timeout))) {
      return std::nullopt;
    }
    tsan::acquire(this);
    depth_.fetch_sub(1, std::memory_order_acq_rel);
    return item;
  }

  QueueStats stats() const noexcept {
    return {depth_.load(std::memory_order_relaxed), capacity_, pushed_.load(std::memory_order_relaxed),
            dropped_.load(std::memory_order_relaxed)};
  }

  std::size_t capacity() const noexcept { return capacity_; }
  OverflowPolicy policy() const noexcept { return policy_; }

 private:
  moodycamel::BlockingConcurrentQueue<T> queue_;
  const std::size_t capacity_;
  const OverflowPolicy policy_;
  std::atomic<std::size_t> depth_{0};  // reserved slots: never below the number of queued items
  std::atomic<std::uint64_t> pushed_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace doorbell
