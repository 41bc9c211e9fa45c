#pragma once
// Sleeps that end early when a stop is requested. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace doorbell {

// False when the sleep was cut short by a stop request.
template <class Clock, class Duration>
bool sleep_until(std::stop_token stop, std::chrono::time_point<Clock, Duration> deadline) {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  cv.wait_until(lock, stop, deadline, [] { return false; });
  return !stop.stop_requested();
}

template <class Rep, class Period>
bool sleep_for(std::stop_token stop, std::chrono::duration<Rep, Period> duration) {
  return sleep_until(std::move(stop), std::chrono::steady_clock::now() + duration);
}

}  // namespace doorbell
