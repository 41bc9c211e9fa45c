#pragma once
// ShutdownDeadline: a watchdog for teardown. If it is not destroyed within the limit, it logs which
// setting was exceeded and ends the process with exit code 1. Thread-safe (owns one thread).

#include <chrono>
#include <thread>

namespace doorbell {

class ShutdownDeadline {
 public:
  explicit ShutdownDeadline(std::chrono::duration<double> limit);

 private:
  std::jthread thread_;
};

}  // namespace doorbell
