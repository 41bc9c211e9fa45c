#include "connection.hpp"

#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace doorbell::http {
namespace {

constexpr std::size_t kReadChunk = std::size_t{16} * 1024;

int millis_until(Connection::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

bool wait_for(int fd, short events, Connection::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int ready = ::poll(&p, 1, millis_until(deadline));
    if (ready > 0) return (p.revents & (events | POLLERR | POLLHUP)) != 0;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

}  // namespace

Connection::Connection(int fd, std::string address, int port, std::string local_address, int local_port)
    : fd_(fd),
      address_(std::move(address)),
      port_(port),
      local_address_(std::move(local_address)),
      local_port_(local_port) {}

Connection::~Connection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  ::close(fd_);
}

Connection::Io Connection::sniff_tls(bool& tls) {
  unsigned char first = 0;
  const auto n = ::recv(fd_, &first, 1, MSG_PEEK);
  if (n == 1) {
    tls = first == 0x16;
    return Io::done;
  }
  if (n == 0) return Io::closed;
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Io::want_read : Io::failed;
}

bool Connection::start_tls(SSL_CTX* context) {
  ssl_ = SSL_new(context);
  if (ssl_ == nullptr) return false;
  if (SSL_set_fd(ssl_, fd_) != 1) return false;
  SSL_set_accept_state(ssl_);
  return true;
}

Connection::Io Connection::tls_result(int ret) {
  switch (SSL_get_error(ssl_, ret)) {
    case SSL_ERROR_WANT_READ:
      return Io::want_read;
    case SSL_ERROR_WANT_WRITE:
      return Io::want_write;
    case SSL_ERROR_ZERO_RETURN:
      return Io::closed;
    case SSL_ERROR_SYSCALL:
      ERR_clear_error();
      if (errno == EAGAIN || errno == EINTR) return Io::want_read;
      return ret == 0 ? Io::closed : Io::failed;
    default:
      ERR_clear_error();
      return Io::failed;
  }
}

Connection::Io Connection::handshake() {
  ERR_clear_error();
  const int ret = SSL_do_handshake(ssl_);
  return ret == 1 ? Io::done : tls_result(ret);
}

Connection::Io Connection::receive(std::size_t limit) {
  std::array<char, kReadChunk> buffer;
  bool got = false;
  while (input.size() < limit) {
    const auto want = std::min(buffer.size(), limit - input.size());
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int n = SSL_read(ssl_, buffer.data(), static_cast<int>(want));
      if (n <= 0) {
        const auto io = tls_result(n);
        return got && (io == Io::want_read || io == Io::want_write) ? Io::done : io;
      }
      input.append(buffer.data(), static_cast<std::size_t>(n));
    } else {
      const auto n = ::recv(fd_, buffer.data(), want, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return got ? Io::done : Io::want_read;
      if (n < 0) return Io::failed;
      if (n == 0) return got ? Io::done : Io::closed;
      input.append(buffer.data(), static_cast<std::size_t>(n));
      // A short read drained the socket: asking again would only hear EAGAIN (the gate's epoll is
      // level-triggered, so anything that arrives later is reported).
      if (static_cast<std::size_t>(n) < want) return Io::done;
    }
    got = true;
  }
  return Io::done;
}

Connection::Io Connection::send_pending() {
  while (output_sent < output.size()) {
    const char* data = output.data() + output_sent;
    const auto size = output.size() - output_sent;
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int n = SSL_write(ssl_, data, static_cast<int>(std::min<std::size_t>(size, 1 << 20)));
      if (n <= 0) return tls_result(n);
      output_sent += static_cast<std::size_t>(n);
    } else {
      const auto n = ::send(fd_, data, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Io::want_write;
      if (n < 0) return Io::failed;
      output_sent += static_cast<std::size_t>(n);
    }
  }
  output.clear();
  output_sent = 0;
  return Io::done;
}

bool Connection::send_all(std::string_view data, time_point deadline) {
  output.append(data);
  for (;;) {
    const auto io = send_pending();
    if (io == Io::done) return true;
    if (io == Io::want_write || io == Io::want_read) {
      if (!wait_for(fd_, io == Io::want_write ? POLLOUT : POLLIN, deadline)) return false;
      continue;
    }
    return false;
  }
}

bool Connection::wait_writable(time_point deadline) const {
  return wait_for(fd_, POLLOUT, deadline);
}

void Connection::shutdown_write() {
  if (ssl_ != nullptr) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
  }
  ::shutdown(fd_, SHUT_WR);
}

}  // namespace doorbell::http
