#include "doorbell/app/shutdown_deadline.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>

namespace doorbell {

ShutdownDeadline::ShutdownDeadline(std::chrono::duration<double> limit)
    : thread_([limit](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any cv;
        std::unique_lock lock(mutex);
        cv.wait_for(lock, stop, limit, [] { return false; });
        if (stop.stop_requested()) return;
        spdlog::critical("shutdown took longer than daemon.shutdown_timeout_seconds ({} s); exiting now",
                         limit.count());
        spdlog::default_logger()->flush();
        std::_Exit(EXIT_FAILURE);
      }) {}

}  // namespace doorbell
