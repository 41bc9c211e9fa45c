#pragma once
// Gate: the listening socket and every client connection, on one epoll thread. It reads each request's
// head (within http.header_timeout_seconds of its first byte) and body (within
// http.request_timeout_seconds) without blocking, decides access from the head before any body is read,
// caps the body by route, and hands only complete, authorised requests to a lane — or answers them in
// place when the server allows (the open probes: constant-time); answers are written from here too, so no
// lane thread ever waits on a slow client and slow or idle sockets cost no thread. A connection holds at
// most one answer: the next pipelined request is read once it is sent. At http.max_connections a new
// connection makes room (make_room): only an authorised request in progress is never closed for it. With
// TLS on, each connection is sniffed: TLS is served, plain HTTP gets the probes and a redirect to https
// for everything else. run() on one thread; stop() and give_back() from any thread.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "connection.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/http/access.hpp"
#include "doorbell/http/chunked_body.hpp"
#include "doorbell/http/request_head.hpp"
#include "doorbell/http/route_table.hpp"
#include "lane_workers.hpp"
#include "tls_context.hpp"

namespace doorbell::http {

struct GateHooks {
  // Answers on the gate's own thread when the route allows it (probes): true with the answer in the
  // job's connection output; false (job untouched) otherwise.
  std::function<bool(Job&)> answer_here;
  std::function<bool(Job&)> dispatch;  // to the route's lane; false (job untouched) when it is full
  std::function<void(std::string_view route, std::string_view method, int status)> record;
};

class Gate {
 public:
  // `tls` may be null (plain HTTP only).
  Gate(const HttpConfig& config, const RouteTable& routes, const AccessPolicy& access, const TlsContext* tls,
       GateHooks hooks, prometheus::Registry& registry);
  ~Gate();
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;

  // Binds and listens. Throws std::runtime_error naming http.bind_address and http.port on failure.
  void bind();
  int port() const noexcept { return port_; }
  // Serves until stop(); returns at once if stop() came first.
  void run();
  void stop();
  // A lane is done with a job: its connection comes back to send the response.
  void give_back(Job&& job);

 private:
  using time_point = std::chrono::steady_clock::time_point;
  enum class Phase { sniff, handshake, idle, head, body, busy, writing, lingering };

  struct Client {
    std::unique_ptr<Connection> connection;
    Phase phase = Phase::head;
    time_point since;          // when the phase began
    time_point deadline;       // when the phase times out
    std::uint32_t events = 0;  // registered with epoll; 0 when not registered
    bool plain_on_tls = false;
    bool close_after_write = false;
    int served = 0;  // requests on this connection
    // The request being read.
    HeadScanner scanner;  // over connection->input while its head is read
    RequestHead head;
    const RouteSpec* route = nullptr;
    auth::Principal principal;
    std::string body;
    std::uint64_t body_expected = 0;
    std::size_t body_limit = 0;
    std::optional<ChunkedBody> chunked;
  };

  void accept_all();
  static int eviction_rank(const Client& c);
  bool make_room();
  void resume_returned();
  // Takes the connection back from a served job: its answer is written next.
  void resume(Client& c, Job&& job);
  // Moves the client on as far as it can without blocking; false when it was closed and erased.
  void advance(int fd);
  bool step(Client& c);  // one state transition; false when the client waits for the socket
  bool read_head(Client& c);
  void on_head(Client& c, RequestHead head);
  bool read_body(Client& c);
  void dispatch(Client& c);
  // Sends a closing answer, counted under the client's route (or "unmatched").
  void answer(Client& c, int status, const std::string& bytes);
  void after_write(Client& c);
  // The epoll events the client's socket is watched for; false when epoll refused (the client is closed).
  bool wait(Client& c, std::uint32_t events);
  bool watch(Client& c, int fd, std::uint32_t events);
  // Waits for the socket as `io` asks (want_read, want_write), or closes on closed/failed. False.
  bool await(Client& c, Connection::Io io);
  void close(int fd, std::string_view reason = {});
  void expire();
  int next_timeout_ms() const;
  void enter(Client& c, Phase phase, std::chrono::steady_clock::duration limit);

  const HttpConfig config_;
  const RouteTable& routes_;
  const AccessPolicy& access_;
  const TlsContext* tls_;
  const GateHooks hooks_;
  const HeadLimits limits_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::unordered_map<int, Client> clients_;  // by socket; only the run() thread touches it
  std::mutex returned_mutex_;
  std::vector<Job> returned_;  // guarded by returned_mutex_

  prometheus::Gauge& open_;
  prometheus::Family<prometheus::Counter>& closed_;
};

}  // namespace doorbell::http
