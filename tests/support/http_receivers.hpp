#pragma once
// Receivers: an HTTP (or, given a certificate and key, HTTPS) server on loopback standing in for a
// webhook receiver, ntfy and the Telegram Bot API (paths under /tg/ get Telegram's {"ok": true});
// records every request. Thread-safe.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace doorbell::testing {

class Receivers {
 public:
  struct Request {
    std::string method, path, body;
    httplib::Headers headers;
    std::map<std::string, httplib::MultipartFormData> files;
  };

  explicit Receivers(int port, const std::string& cert = {}, const std::string& key = {})
      : port_(port),
        server_(cert.empty() ? std::make_unique<httplib::Server>()
                             : std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str())) {
    const auto record = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      requests_.push_back(
          {req.method, req.path, req.body, req.headers, {req.files.begin(), req.files.end()}});
      res.set_content(req.path.find("/tg/") == 0 ? R"({"ok":true,"result":{}})" : "{}", "application/json");
      arrived_.notify_all();
    };
    server_->Post(".*", record);
    server_->Put(".*", record);
    thread_ = std::jthread([this] { server_->listen("127.0.0.1", port_); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~Receivers() { server_->stop(); }

  // The requests to paths starting with `prefix`, once there are at least `count` (at most `timeout`).
  std::vector<Request> wait_for(const std::string& prefix, std::size_t count,
                                std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, timeout, [&] { return matching(prefix).size() >= count; });
    return matching(prefix);
  }

 private:
  std::vector<Request> matching(const std::string& prefix) const {
    std::vector<Request> out;
    for (const auto& r : requests_) {
      if (r.path.rfind(prefix, 0) == 0) out.push_back(r);
    }
    return out;
  }

  int port_;
  std::unique_ptr<httplib::Server> server_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Request> requests_;
  std::jthread thread_;  // last
};

}  // namespace doorbell::testing
