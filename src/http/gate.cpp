#include "gate.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "admission.hpp"
#include "doorbell/common/clock.hpp"
#include "doorbell/common/thread_priority.hpp"
#include "wire.hpp"

namespace doorbell::http {
namespace {

using Io = Connection::Io;
using std::chrono::steady_clock;

constexpr int kMaxRequestsPerConnection = 100;
constexpr auto kLinger = std::chrono::seconds(2);  // reading what a client still sends after our answer
constexpr std::size_t kDrainChunk = std::size_t{64} * 1024;
constexpr int kProtected = 3;  // the eviction rank of an authorised request in progress

std::string address_of(const sockaddr_storage& addr, int& port) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (addr.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    port = ntohs(a.sin6_port);
    inet_ntop(AF_INET6, &a.sin6_addr, text.data(), text.size());
  } else {
    const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    port = ntohs(a.sin_port);
    inet_ntop(AF_INET, &a.sin_addr, text.data(), text.size());
  }
  return text.data();
}

}  // namespace

Gate::Gate(const HttpConfig& config, const RouteTable& routes, const AccessPolicy& access,
           const TlsContext* tls, GateHooks hooks, prometheus::Registry& registry)
    : config_(config),
      routes_(routes),
      access_(access),
      tls_(tls),
      hooks_(std::move(hooks)),
      open_(prometheus::BuildGauge()
                .Name("doorbell_http_connections")
                .Help("Client connections open now, waiting, being served or idle between requests")
                .Register(registry)
                .Add({})),
      closed_(prometheus::BuildCounter()
                  .Name("doorbell_http_connections_closed_total")
                  .Help("Client connections closed by the server before a normal end, by reason")
                  .Register(registry)) {
  for (const char* reason : {"header_timeout", "body_timeout", "write_timeout", "evicted", "refused_full",
                             "tls_failed", "epoll_failed"}) {
    closed_.Add({{"reason", reason}});
  }
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error("http: cannot create epoll or eventfd");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) {
    throw std::runtime_error(fmt::format("http: cannot watch the wake-up descriptor ({})",
                                         std::generic_category().message(errno)));
  }
}

Gate::~Gate() {
  clients_.clear();
  returned_.clear();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void Gate::bind() {
  const auto fail = [this](std::string_view why) {
    return std::runtime_error(fmt::format("http.bind_address/http.port: cannot listen on {}:{} ({})",
                                          config_.bind_address, config_.port, why));
  };
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(config_.bind_address.c_str(), std::to_string(config_.port).c_str(), &hints, &found) != 0 ||
      found == nullptr) {
    throw fail("not an address of this machine");
  }
  const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw fail("no socket");
  // Not SO_REUSEPORT: a second daemon must not share the port unnoticed.
  const int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, 128) != 0) {
    const int error = errno;
    ::close(fd);
    throw fail(error == EADDRINUSE ? "port in use" : error == EACCES ? "no permission" : "address not local");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    const int error = errno;
    ::close(fd);
    throw fail(std::generic_category().message(error));
  }
  listen_fd_ = fd;
  port_ = config_.port;
}

void Gate::stop() {
  stopping_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
}

void Gate::give_back(Job&& job) {
  {
    std::lock_guard lock(returned_mutex_);
    returned_.push_back(std::move(job));
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
}

void Gate::run() {
  request_short_slice(std::chrono::microseconds(100));
  std::array<epoll_event, 64> events{};
  while (!stopping_) {
    const int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), next_timeout_ms());
    if (n < 0 && errno != EINTR) {
      spdlog::error("http: epoll_wait failed: {}", std::generic_category().message(errno));
      break;
    }
    for (int i = 0; i < n && !stopping_; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == listen_fd_) {
        accept_all();
      } else if (fd == wake_fd_) {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto r = ::read(wake_fd_, &count, sizeof count);
        resume_returned();
      } else {
        advance(fd);
      }
    }
    expire();
  }
  // Connections a lane still holds come back later and are closed with the gate.
  std::vector<int> fds;
  for (const auto& [fd, c] : clients_) {
    if (c.phase != Phase::busy) fds.push_back(fd);
  }
  for (const int fd : fds) close(fd);
}

void Gate::accept_all() {
  for (;;) {
    sockaddr_storage addr{};
    socklen_t length = sizeof addr;
    const int fd =
        accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        spdlog::warn("http: accept failed: {}", std::generic_category().message(errno));
      return;
    }
    if (clients_.size() >= static_cast<std::size_t>(config_.max_connections) && !make_room()) {
      const auto refusal =
          closing_error(503, "too many connections; try again", "busy", {{"Retry-After", "1"}});
      [[maybe_unused]] const auto sent =
          ::send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      ::close(fd);
      closed_.Add({{"reason", "refused_full"}}).Increment();
      continue;
    }
    int port = 0;
    auto address = address_of(addr, port);
    sockaddr_storage local{};
    socklen_t local_length = sizeof local;
    getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length);
    int local_port = 0;
    auto local_address = address_of(local, local_port);
    const int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);

    Client c;
    c.connection =
        std::make_unique<Connection>(fd, std::move(address), port, std::move(local_address), local_port);
    enter(c, tls_ != nullptr ? Phase::sniff : Phase::head, ticks(config_.header_timeout_seconds));
    clients_.emplace(fd, std::move(c));
    open_.Set(static_cast<double>(clients_.size()));
    advance(fd);
  }
}

// Who makes room for a new connection, first: connections idle between requests (0); then those lingering
// after their last answer (1: closing one with unread input resets it, which may cost the client an
// answer it has not read yet); then any that is not an authorised request in progress — still being sent
// (sniff, handshake, head), or a body or an answer of an anonymous client or an open route (2); never an
// authorised request being read, served or answered (3). Within a rank, the one in its phase longest.
int Gate::eviction_rank(const Client& c) {
  switch (c.phase) {
    case Phase::idle:
      return 0;
    case Phase::lingering:
      return 1;
    case Phase::sniff:
    case Phase::handshake:
    case Phase::head:
      return 2;
    case Phase::body:
    case Phase::writing:
      return c.principal.name.empty() || c.route == nullptr || c.route->access == Access::open ? 2
                                                                                               : kProtected;
    case Phase::busy:
      return kProtected;
  }
  return kProtected;
}

bool Gate::make_room() {
  int victim = -1;
  int victim_rank = kProtected;
  time_point victim_since{};
  for (const auto& [fd, c] : clients_) {
    const int rank = eviction_rank(c);
    if (rank < victim_rank || (rank == victim_rank && rank < kProtected && c.since < victim_since)) {
      victim = fd;
      victim_rank = rank;
      victim_since = c.since;
    }
  }
  if (victim < 0) return false;
  close(victim, "evicted");
  return true;
}

void Gate::resume_returned() {
  std::vector<Job> jobs;
  {
    std::lock_guard lock(returned_mutex_);
    jobs.swap(returned_);
  }
  for (auto& job : jobs) {
    const int fd = job.connection->fd();
    const auto it = clients_.find(fd);
    if (it == clients_.end()) continue;  // cannot happen: busy clients are never erased
    resume(it->second, std::move(job));
    advance(fd);
  }
}

void Gate::resume(Client& c, Job&& job) {
  c.connection = std::move(job.connection);
  c.close_after_write = !job.keep_alive || stopping_;
  enter(c, Phase::writing, ticks(config_.request_timeout_seconds));
}

void Gate::advance(int fd) {
  for (;;) {
    const auto it = clients_.find(fd);
    if (it == clients_.end() || !step(it->second)) return;
  }
}

void Gate::enter(Client& c, Phase phase, steady_clock::duration limit) {
  c.phase = phase;
  c.since = steady_clock::now();
  c.deadline = c.since + limit;
}

bool Gate::await(Client& c, Io io) {
  if (io == Io::want_read || io == Io::want_write) {
    wait(c, io == Io::want_read ? EPOLLIN : EPOLLOUT);
  } else {
    close(c.connection->fd());
  }
  return false;
}

bool Gate::wait(Client& c, std::uint32_t events) {
  return watch(c, c.connection->fd(), events);
}

// A socket epoll cannot watch (no memory, fs.epoll.max_user_watches reached) would never be served: it is
// closed, logged and counted. One it cannot stop watching is closed anyway, which ends the watch.
bool Gate::watch(Client& c, int fd, std::uint32_t events) {
  if (events == c.events) return true;
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  const int op = c.events == 0 ? EPOLL_CTL_ADD : events == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
  if (epoll_ctl(epoll_fd_, op, fd, &ev) != 0 && op != EPOLL_CTL_DEL) {
    spdlog::warn("http: cannot watch a connection from {} ({}): closing it",
                 c.connection ? c.connection->address() : "a client", std::generic_category().message(errno));
    c.events = 0;  // nothing to take back from epoll
    close(fd, "epoll_failed");
    return false;
  }
  c.events = events;
  return true;
}

void Gate::close(int fd, std::string_view reason) {
  const auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  if (it->second.events != 0) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);  // failing: closed anyway
  if (!reason.empty()) closed_.Add({{"reason", std::string(reason)}}).Increment();
  clients_.erase(it);
  open_.Set(static_cast<double>(clients_.size()));
}

// One state transition. True when there may be more to do now; false when the client waits for its
// socket, for a lane, or was closed.
bool Gate::step(Client& c) {
  if (c.phase == Phase::busy) return false;  // a lane holds the connection
  auto& conn = *c.connection;
  const int fd = conn.fd();
  switch (c.phase) {
    case Phase::sniff: {
      bool tls = false;
      const auto io = conn.sniff_tls(tls);
      if (io != Io::done) return await(c, io);
      if (!tls) {
        c.plain_on_tls = true;
        c.phase = Phase::head;
        return true;
      }
      SSL_CTX* context = tls_->acquire();
      const bool started = conn.start_tls(context);
      SSL_CTX_free(context);
      if (!started) {
        close(fd, "tls_failed");
        return false;
      }
      c.phase = Phase::handshake;
      return true;
    }
    case Phase::handshake: {
      const auto io = conn.handshake();
      if (io == Io::done) {
        c.phase = Phase::head;
        return true;
      }
      if (io == Io::failed || io == Io::closed) {
        close(fd, "tls_failed");
        return false;
      }
      return await(c, io);
    }
    case Phase::idle:
    case Phase::head:
      return read_head(c);
    case Phase::body:
      return read_body(c);
    case Phase::writing: {
      const auto io = conn.send_pending();
      if (io != Io::done) return await(c, io);
      after_write(c);
      return true;
    }
    case Phase::lingering: {
      conn.input.clear();
      const auto io = conn.receive(kDrainChunk);
      if (io == Io::done) return true;
      return await(c, io);
    }
    case Phase::busy:
      return false;
  }
  return false;
}

bool Gate::read_head(Client& c) {
  auto& conn = *c.connection;
  if (!conn.input.empty()) {
    if (c.phase == Phase::idle) enter(c, Phase::head, ticks(config_.header_timeout_seconds));
    if (c.scanner.worth_parsing(conn.input, limits_)) {
      auto parsed = parse_request_head(conn.input, limits_);
      if (parsed.problem == HeadProblem::none) {
        on_head(c, std::move(parsed.head));
        return true;
      }
      if (parsed.problem != HeadProblem::incomplete) {
        const int status = status_of(parsed.problem);
        c.route = nullptr;
        answer(c, status, closing_error(status, parsed.message));
        return true;
      }
    }
  }
  const auto io = conn.receive(limits_.max_head_bytes);
  return io == Io::done || await(c, io);
}

void Gate::on_head(Client& c, RequestHead head) {
  auto& conn = *c.connection;
  conn.input.erase(0, head.head_bytes);
  c.scanner.reset();
  c.head = std::move(head);
  auto admission = admit(c.head, {routes_, access_, static_cast<std::size_t>(config_.max_body_bytes),
                                  conn.address(), c.plain_on_tls});
  c.route = admission.route;
  if (!admission.admitted()) {
    answer(c, admission.status, admission.answer);
    return;
  }
  c.principal = std::move(admission.principal);
  c.body.clear();
  c.chunked.reset();
  c.body_expected = admission.body_length;
  c.body_limit = admission.body_limit;
  if (admission.chunked) c.chunked.emplace(admission.body_limit);
  if (!c.chunked && c.body_expected == 0) {
    dispatch(c);
    return;
  }
  if (admission.expect_continue) conn.output += "HTTP/1.1 100 Continue\r\n\r\n";
  enter(c, Phase::body, ticks(config_.request_timeout_seconds));
}

bool Gate::read_body(Client& c) {
  auto& conn = *c.connection;
  if (!conn.output.empty()) {  // "100 Continue"
    const auto io = conn.send_pending();
    if (io == Io::want_write) {
      wait(c, EPOLLOUT);
      return false;
    }
    if (io != Io::done) {
      close(conn.fd());
      return false;
    }
  }
  if (!conn.input.empty()) {
    if (c.chunked) {
      std::size_t consumed = 0;
      const auto status = c.chunked->feed(conn.input, consumed, c.body);
      conn.input.erase(0, consumed);
      if (status == ChunkedBody::Status::done) {
        dispatch(c);
        return true;
      }
      if (status == ChunkedBody::Status::too_large) {
        answer(c, 413, closing_error(413, too_large_message(*c.route, c.head, c.body_limit)));
        return true;
      }
      if (status == ChunkedBody::Status::malformed) {
        answer(c, 400, closing_error(400, "malformed chunked request body"));
        return true;
      }
    } else {
      const auto take = std::min<std::size_t>(c.body_expected - c.body.size(), conn.input.size());
      c.body.append(conn.input, 0, take);
      conn.input.erase(0, take);
      if (c.body.size() == c.body_expected) {
        dispatch(c);
        return true;
      }
    }
  }
  const std::size_t want =
      c.chunked ? kDrainChunk : static_cast<std::size_t>(c.body_expected) - c.body.size();
  const auto io = conn.receive(conn.input.size() + want);
  return io == Io::done || await(c, io);
}

void Gate::dispatch(Client& c) {
  Job job;
  ++c.served;
  job.close_after = !c.head.keep_alive() || c.served >= kMaxRequestsPerConnection || stopping_;
  job.head = std::move(c.head);
  job.body = std::exchange(c.body, std::string());
  job.route = c.route;
  job.principal = c.principal;
  const int fd = c.connection->fd();
  job.connection = std::move(c.connection);
  if (hooks_.answer_here && hooks_.answer_here(job)) {  // the socket stays watched: no hand-back
    resume(c, std::move(job));
    return;
  }
  watch(c, fd, 0);  // a lane has the connection until it gives it back
  if (hooks_.dispatch(job)) {
    c.phase = Phase::busy;
    return;
  }
  c.connection = std::move(job.connection);
  c.head = std::move(job.head);
  answer(c, 503,
         closing_error(503, "busy: every thread serving this route is taken; try again", "busy",
                       {{"Retry-After", "1"}}));
}

void Gate::answer(Client& c, int status, const std::string& bytes) {
  if (hooks_.record) {
    hooks_.record(c.route != nullptr ? c.route->pattern : "unmatched", method_label(c.head.method), status);
  }
  c.connection->output += bytes;
  c.close_after_write = true;
  enter(c, Phase::writing, ticks(config_.request_timeout_seconds));
}

void Gate::after_write(Client& c) {
  if (c.close_after_write) {
    c.connection->shutdown_write();
    enter(c, Phase::lingering, kLinger);
    return;
  }
  c.head = RequestHead();
  c.route = nullptr;
  c.principal = auth::Principal();
  enter(c, Phase::idle, ticks(config_.keep_alive_seconds));
}

void Gate::expire() {
  const auto now = steady_clock::now();
  std::vector<int> due;
  for (const auto& [fd, c] : clients_) {
    if (c.phase != Phase::busy && c.deadline <= now) due.push_back(fd);
  }
  for (const int fd : due) {
    auto& c = clients_.at(fd);
    switch (c.phase) {
      case Phase::head:
        if (c.connection->input.empty()) {
          close(fd, "header_timeout");
        } else {
          closed_.Add({{"reason", "header_timeout"}}).Increment();
          answer(c, 408, closing_error(408, "the request head took too long (http.header_timeout_seconds)"));
          advance(fd);
        }
        break;
      case Phase::body:
        closed_.Add({{"reason", "body_timeout"}}).Increment();
        answer(c, 408, closing_error(408, "the request body took too long (http.request_timeout_seconds)"));
        advance(fd);
        break;
      case Phase::sniff:
      case Phase::handshake:
        close(fd, "header_timeout");
        break;
      case Phase::writing:
        close(fd, "write_timeout");
        break;
      case Phase::idle:
      case Phase::lingering:
      case Phase::busy:
        close(fd);
        break;
    }
  }
}

int Gate::next_timeout_ms() const {
  auto next = steady_clock::now() + std::chrono::seconds(1);
  for (const auto& [fd, c] : clients_) {
    if (c.phase != Phase::busy) next = std::min(next, c.deadline);
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - steady_clock::now()).count();
  return static_cast<int>(std::clamp<std::int64_t>(ms + 1, 0, 1000));
}

}  // namespace doorbell::http
