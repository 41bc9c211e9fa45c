#pragma once
// Connection: one accepted client socket (non-blocking), plain or TLS, with the bytes received but not
// yet used and the response bytes not yet sent. Owned by one thread at a time — the gate, or the worker
// serving its request — and handed over through queues; not thread-safe.

#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace doorbell::http {

class Connection {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  Connection(int fd, std::string address, int port, std::string local_address, int local_port);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  enum class Io {
    done,        // the operation completed (or made progress and can go on)
    want_read,   // wait until the socket is readable
    want_write,  // wait until the socket is writable
    closed,      // the peer closed its side
    failed,      // a socket or TLS error
  };

  // Peeks at the first byte: a TLS handshake starts with 0x16. want_read until a byte is there.
  Io sniff_tls(bool& tls);
  // Starts TLS on the socket with `context`; then handshake() until done.
  bool start_tls(SSL_CTX* context);
  Io handshake();
  bool tls() const noexcept { return ssl_ != nullptr; }

  // Appends what can be read now (at most `limit` bytes in all) to input. done when something was read.
  Io receive(std::size_t limit);
  // Sends output from output_sent on. done when all of it was sent.
  Io send_pending();
  // For workers holding the connection: sends all of `data`, waiting for the socket up to `deadline`.
  bool send_all(std::string_view data, time_point deadline);
  // Waits until the socket is writable, at most until `deadline`.
  bool wait_writable(time_point deadline) const;
  // Ends our side: TLS close_notify (best effort), then shutdown(SHUT_WR).
  void shutdown_write();

  int fd() const noexcept { return fd_; }
  const std::string& address() const noexcept { return address_; }
  int port() const noexcept { return port_; }
  const std::string& local_address() const noexcept { return local_address_; }
  int local_port() const noexcept { return local_port_; }

  std::string input;   // received, not yet used
  std::string output;  // to send
  std::size_t output_sent = 0;

 private:
  Io tls_result(int ret);

  int fd_;
  SSL* ssl_ = nullptr;
  std::string address_;
  int port_;
  std::string local_address_;
  int local_port_;
};

}  // namespace doorbell::http
