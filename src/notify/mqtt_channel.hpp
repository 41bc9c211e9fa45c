#pragma once
// MqttChannel (libmosquitto): keeps a connection to the broker in libmosquitto's own thread, which
// reconnects by itself (backoff 1 s doubling to 10 s). On every connect it publishes "online" to
// <prefix>/availability (the last will says "offline") and, unless mqtt.discovery_prefix is empty, retained
// Home Assistant discovery for a doorbell event entity, an image entity with the last snapshot and a "last
// visitor" sensor. send() publishes the event JSON to <prefix>/event, the snapshot to <prefix>/snapshot and
// the visitor to <prefix>/last_visitor at QoS 1 and waits for the broker's acknowledgements. send() from one
// thread; the callbacks run on libmosquitto's thread.

#include <mosquitto.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

#include "doorbell/config/config.hpp"
#include "doorbell/notify/channel.hpp"

namespace doorbell::notify {

class MqttChannel final : public Channel {
 public:
  MqttChannel(const MqttConfig& config, Seconds timeout);
  ~MqttChannel() override;
  MqttChannel(const MqttChannel&) = delete;
  MqttChannel& operator=(const MqttChannel&) = delete;

  const char* name() const noexcept override { return "mqtt"; }
  void send(const Notice& notice) override;

 private:
  static void on_connect(mosquitto* client, void* self, int rc);
  static void on_disconnect(mosquitto* client, void* self, int rc);
  static void on_publish(mosquitto* client, void* self, int mid);
  void announce();  // availability and discovery, on every connect
  int publish(const std::string& topic, std::string_view payload, bool retain);  // returns the message id

  const MqttConfig config_;
  const std::chrono::nanoseconds timeout_;
  mosquitto* client_ = nullptr;
  std::mutex mutex_;
  std::condition_variable acked_cv_;
  bool connected_ = false;  // guarded by mutex_
  std::set<int> acked_;     // message ids the broker acknowledged; guarded by mutex_
};

}  // namespace doorbell::notify
