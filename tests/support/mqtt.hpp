#pragma once
// A real mosquitto broker on a free loopback port, and a real MQTT client (libmosquitto) subscribed to
// every topic that records what arrives. For tests; the subscriber is thread-safe.

#include <mosquitto.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "support/free_port.hpp"
#include "support/poll.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {

class MosquittoBroker {
 public:
  struct Tls {
    std::string ca, cert, key;  // PEM files
  };
  // With `tls`, a second listener on tls_port() speaks MQTT over TLS with that certificate.
  explicit MosquittoBroker(int port = free_port(), std::optional<Tls> tls = std::nullopt)
      : port_(port), tls_port_(tls ? free_port() : 0) {
    // As root, mosquitto would become the "mosquitto" user, who cannot read the test's private folder.
    std::string text =
        "user root\nper_listener_settings false\nallow_anonymous true\npersistence false\nlistener " +
        std::to_string(port_) + " 127.0.0.1\n";
    if (tls) {
      text += "listener " + std::to_string(tls_port_) + " 127.0.0.1\ncafile " + tls->ca + "\ncertfile " +
              tls->cert + "\nkeyfile " + tls->key + "\n";
    }
    const auto config = dir_.write("mosquitto.conf", text);
    process_ =
        std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/sbin/mosquitto", "-c", config.string()},
                                       std::vector<std::string>{}, dir_.path() / "mosquitto.log");
    // Ready once it accepts connections.
    eventually([this] { return accepting(); }, std::chrono::seconds(10));
  }
  int port() const { return port_; }
  int tls_port() const { return tls_port_; }
  std::string log() const { return process_->output(); }

 private:
  bool accepting() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
  }

  TempDir dir_;
  int port_;
  int tls_port_;
  std::unique_ptr<ChildProcess> process_;
};

class MqttSubscriber {
 public:
  struct Message {
    std::string payload;
    bool retained = false;
  };

  explicit MqttSubscriber(int port) {
    mosquitto_lib_init();
    client_ = mosquitto_new(nullptr, true, this);
    mosquitto_message_callback_set(client_, [](mosquitto*, void* self, const mosquitto_message* m) {
      auto& me = *static_cast<MqttSubscriber*>(self);
      std::lock_guard lock(me.mutex_);
      me.messages_[m->topic] = {
          std::string(static_cast<const char*>(m->payload), static_cast<std::size_t>(m->payloadlen)),
          m->retain};
      me.arrived_.notify_all();
    });
    mosquitto_connect_callback_set(client_,
                                   [](mosquitto* c, void*, int) { mosquitto_subscribe(c, nullptr, "#", 1); });
    mosquitto_connect(client_, "127.0.0.1", port, 30);
    mosquitto_loop_start(client_);
  }
  ~MqttSubscriber() {
    mosquitto_disconnect(client_);
    mosquitto_loop_stop(client_, false);
    mosquitto_destroy(client_);
  }

  // The newest message on `topic`, waiting at most `timeout` for one.
  std::optional<Message> wait_for(const std::string& topic, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, timeout, [&] { return messages_.count(topic) > 0; })) return std::nullopt;
    return messages_[topic];
  }

 private:
  mosquitto* client_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::map<std::string, Message> messages_;
};

}  // namespace doorbell::testing
