#include "doorbell/app/signals.hpp"

#include <pthread.h>

#include <cerrno>

namespace doorbell {

SignalSet::SignalSet() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGTERM);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set_, &previous_);
}

SignalSet::~SignalSet() {
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

std::optional<int> SignalSet::wait(std::chrono::milliseconds timeout) const {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec ts{seconds.count(), std::chrono::nanoseconds(timeout - seconds).count()};
  const int sig = sigtimedwait(&set_, nullptr, &ts);
  if (sig < 0) return std::nullopt;  // EAGAIN (timeout) or EINTR
  return sig;
}

}  // namespace doorbell
