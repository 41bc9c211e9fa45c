#pragma once
// NotifySocket: a stand-in for systemd's notification socket (an AF_UNIX datagram socket in a temporary
// directory) that records what the daemon sends with sd_notify. Not thread-safe.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

#include "support/temp_dir.hpp"

namespace doorbell::testing {

class NotifySocket {
 public:
  NotifySocket()
      : path_((dir_.path() / "notify").string()), fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof(addr.sun_path) - 1);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      throw std::runtime_error("cannot bind " + path_ + ": " + std::strerror(errno));
    }
  }
  ~NotifySocket() { ::close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& path() const { return path_; }
  std::string env() const { return "NOTIFY_SOCKET=" + path_; }

  // The next datagram, if one arrives within `timeout`.
  std::optional<std::string> receive(std::chrono::milliseconds timeout) const {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
    char buffer[4096];
    const auto n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n < 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(n));
  }

  // Receives until a datagram contains `text` (returned) or `timeout` passes; every datagram seen is
  // appended to `seen` when given.
  std::optional<std::string> wait_for(const std::string& text, std::chrono::milliseconds timeout,
                                      std::string* seen = nullptr) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (auto now = std::chrono::steady_clock::now(); now < deadline;
         now = std::chrono::steady_clock::now()) {
      const auto message = receive(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                                   std::chrono::milliseconds(1));
      if (!message) break;
      if (seen) *seen += *message + "\n";
      if (message->find(text) != std::string::npos) return message;
    }
    return std::nullopt;
  }

 private:
  TempDir dir_;
  std::string path_;
  int fd_;
};

}  // namespace doorbell::testing
