#pragma once
// RecordingSink: an event sink (pipeline::EventSink) that keeps every event it is told about, for a test
// to wait for and read. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

#include "doorbell/model/event.hpp"

namespace doorbell::testing {

class RecordingSink {
 public:
  // What to give as the sink; it must not outlive this.
  std::function<void(const model::Event&)> sink() {
    return [this](const model::Event& event) {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
      told_.notify_all();
    };
  }
  // The events once there are `count`, or what there is after `timeout`.
  std::vector<model::Event> wait_for(std::size_t count,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    told_.wait_for(lock, timeout, [&] { return events_.size() >= count; });
    return events_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable told_;
  std::vector<model::Event> events_;
};

}  // namespace doorbell::testing
