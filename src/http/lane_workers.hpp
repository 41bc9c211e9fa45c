#pragma once
// Job and LaneWorkers: a request the gate has read completely and authorised, and the fixed set of threads
// (with a bounded queue) that serves one lane of routes: probes, the API, or long-lived streams. A
// lane's threads never read from a socket; they run the handler and hand the connection back. Lane is
// thread-safe.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connection.hpp"
#include "doorbell/auth/principal.hpp"
#include "doorbell/http/request_head.hpp"
#include "doorbell/http/route_table.hpp"

namespace doorbell::http {

struct Job {
  std::unique_ptr<Connection> connection;
  RequestHead head;
  std::string body;  // whole, decoded when it came chunked
  const RouteSpec* route = nullptr;
  auth::Principal principal;
  bool close_after = false;  // the response ends the connection
  bool keep_alive = false;   // set by the lane: the connection may carry another request
};

class LaneWorkers {
 public:
  // `serve` runs a job on a lane thread; `done` then takes it back (both must be thread-safe).
  LaneWorkers(int threads, std::size_t capacity, std::function<void(Job&)> serve,
              std::function<void(Job&&)> done);
  ~LaneWorkers();
  LaneWorkers(const LaneWorkers&) = delete;
  LaneWorkers& operator=(const LaneWorkers&) = delete;

  // Queues the job (moving from it); false, leaving it untouched, when the queue is full or stopped.
  bool offer(Job& job);
  // Lets the jobs in hand finish, drops queued ones (closing their connections) and joins the threads.
  void stop();

 private:
  void run();

  const std::size_t capacity_;
  const std::function<void(Job&)> serve_;
  const std::function<void(Job&&)> done_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;              // guarded by mutex_
  bool stopping_ = false;              // guarded by mutex_
  std::vector<std::jthread> threads_;  // last: joined before the rest goes
};

}  // namespace doorbell::http
