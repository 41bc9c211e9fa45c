#pragma once
// Worker: runs one body on its own std::jthread, named after its health Component. A body that throws, or
// returns before a stop was requested, is logged and marks the component failed (counted), which turns
// /api/health unhealthy. Destruction requests stop and joins. request_stop() is thread-safe.

#include <functional>
#include <memory>
#include <stop_token>
#include <thread>

#include "doorbell/common/health.hpp"

namespace doorbell {

class Worker {
 public:
  using Body = std::function<void(std::stop_token, Component&)>;

  Worker(Component& component, Body body);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker() = default;  // the jthread requests stop and joins

  void request_stop() noexcept { thread_.request_stop(); }
  void join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  static void run(std::stop_token stop, Component& component, const Body& body);

  Component& component_;
  Body body_;
  std::jthread thread_;  // last: starts after the members it uses exist, joins before they go
};

// Requests stop, joins and empties `worker` (if any): the stop() of a component that owns a thread.
inline void stop_worker(std::unique_ptr<Worker>& worker) {
  if (!worker) return;
  worker->request_stop();
  worker->join();
  worker.reset();
}

}  // namespace doorbell
