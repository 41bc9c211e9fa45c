#include "doorbell/app/signals.hpp"

#include <pthread.h>

#include <cerrno>

namespace doorbell {
namespace {

pthread_t waiter;  // the thread that constructed the SignalSet and waits for the signals

// Threads that started before the SignalSet (OpenBLAS starts its pool when the library loads) do not
// block the signals; one delivered to them is passed on to the waiter, where it stays pending for wait().
extern "C" void forward_to_waiter(int sig) {
  pthread_kill(waiter, sig);
}

}  // namespace

SignalSet::SignalSet() {
  sigemptyset(&set_);
  for (const int sig : kSignals) sigaddset(&set_, sig);
  pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  waiter = pthread_self();
  struct sigaction forward {};
  forward.sa_handler = forward_to_waiter;
  sigemptyset(&forward.sa_mask);
  forward.sa_flags = SA_RESTART;
  for (std::size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &forward, &previous_actions_[i]);
}

SignalSet::~SignalSet() {
  for (std::size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &previous_actions_[i], nullptr);
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
