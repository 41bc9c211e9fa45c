#include "doorbell/app/signals.hpp"

#include <gtest/gtest.h>
#include <pthread.h>

#include <thread>

namespace doorbell {
namespace {

using namespace std::chrono_literals;

TEST(SignalSet, ASignalDeliveredToAThreadThatDoesNotBlockItReachesWait) {
  const SignalSet signals;
  // Like OpenBLAS's pool: a thread with the signals unblocked, to which the kernel may deliver them.
  std::thread library_thread([] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    pthread_kill(pthread_self(), SIGHUP);
  });
  library_thread.join();
  EXPECT_EQ(signals.wait(2s), SIGHUP);
}

}  // namespace
}  // namespace doorbell
