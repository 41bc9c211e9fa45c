#include "lane_workers.hpp"

namespace doorbell::http {

LaneWorkers::LaneWorkers(int threads, std::size_t capacity, std::function<void(Job&)> serve,
                         std::function<void(Job&&)> done)
    : capacity_(capacity), serve_(std::move(serve)), done_(std::move(done)) {
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

LaneWorkers::~LaneWorkers() {
  stop();
}

bool LaneWorkers::offer(Job& job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void LaneWorkers::stop() {
  std::deque<Job> dropped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void LaneWorkers::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    serve_(job);
    done_(std::move(job));
  }
}

}  // namespace doorbell::http
