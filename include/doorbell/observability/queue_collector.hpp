#pragma once
// QueueCollector: depth, capacity, items pushed and dropped for every registered BoundedQueue, read at
// scrape time. Thread-safe; registered queues must outlive it.

#include <prometheus/collectable.h>

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "doorbell/common/bounded_queue.hpp"

namespace doorbell {

class QueueCollector final : public prometheus::Collectable {
 public:
  template <class T>
  void add(std::string name, const BoundedQueue<T>& queue) {
    add(std::move(name), queue.policy(), [&queue] { return queue.stats(); });
  }
  void add(std::string name, OverflowPolicy policy, std::function<QueueStats()> stats);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  struct Source {
    std::string name;
    OverflowPolicy policy;
    std::function<QueueStats()> stats;
  };
  mutable std::mutex mutex_;
  std::vector<Source> sources_;
};

}  // namespace doorbell
