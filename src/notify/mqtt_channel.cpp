#include "mqtt_channel.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <system_error>
#include <vector>

#include "doorbell/common/clock.hpp"
#include "doorbell/notify/mqtt_messages.hpp"

namespace doorbell::notify {
namespace {

std::once_flag library_ready;

constexpr const char* kSystemCertificates = "/etc/ssl/certs";

}  // namespace

MqttChannel::MqttChannel(const MqttConfig& config, Seconds timeout)
    : config_(config), timeout_(ticks(timeout)) {
  std::call_once(library_ready, [] { mosquitto_lib_init(); });
  client_ = mosquitto_new(config_.node_id.c_str(), true, this);
  if (client_ == nullptr) throw std::runtime_error("mqtt: cannot create a client");
  mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  if (!config_.username.empty()) {
    mosquitto_username_pw_set(client_, config_.username.c_str(),
                              config_.password.empty() ? nullptr : config_.password.c_str());
  }
  const auto availability = config_.topic_prefix + "/availability";
  mosquitto_will_set(client_, availability.c_str(), 7, "offline", 1, true);
  mosquitto_connect_callback_set(client_, &MqttChannel::on_connect);
  mosquitto_disconnect_callback_set(client_, &MqttChannel::on_disconnect);
  mosquitto_publish_callback_set(client_, &MqttChannel::on_publish);
  mosquitto_reconnect_delay_set(client_, 1, 10, true);
  if (config_.tls) {
    // The broker's certificate is verified, host name included, against mqtt.tls_ca_file or the system's CAs.
    const char* file = config_.tls_ca_file.empty() ? nullptr : config_.tls_ca_file.c_str();
    const char* dir = file == nullptr ? kSystemCertificates : nullptr;
    if (const int rc = mosquitto_tls_set(client_, file, dir, nullptr, nullptr, nullptr);
        rc != MOSQ_ERR_SUCCESS) {
      mosquitto_destroy(client_);
      throw std::runtime_error(fmt::format("mqtt.tls_ca_file: cannot use \"{}\": {}",
                                           file != nullptr ? file : dir, mosquitto_strerror(rc)));
    }
  }
  if (const int rc = mosquitto_loop_start(client_); rc != MOSQ_ERR_SUCCESS) {
    mosquitto_destroy(client_);
    throw std::runtime_error(
        fmt::format("mqtt: cannot start the network thread: {}", mosquitto_strerror(rc)));
  }
  if (const int rc = mosquitto_connect_async(client_, config_.host.c_str(), config_.port, 30);
      rc != MOSQ_ERR_SUCCESS) {
    spdlog::warn("mqtt {}:{}: {}; retrying in the background", config_.host, config_.port,
                 rc == MOSQ_ERR_ERRNO ? std::generic_category().message(errno) : mosquitto_strerror(rc));
  }
}

MqttChannel::~MqttChannel() {
  bool was_connected = false;
  {
    std::lock_guard lock(mutex_);
    was_connected = connected_;
  }
  if (was_connected) publish(config_.topic_prefix + "/availability", "offline", true);
  mosquitto_disconnect(client_);
  mosquitto_loop_stop(client_, false);
  mosquitto_destroy(client_);
}

void MqttChannel::on_connect(mosquitto*, void* self, int rc) {
  auto& me = *static_cast<MqttChannel*>(self);
  if (rc != 0) {
    spdlog::warn("mqtt {}:{}: connection refused: {}", me.config_.host, me.config_.port,
                 mosquitto_connack_string(rc));
    return;
  }
  spdlog::info("mqtt: connected to {}:{}", me.config_.host, me.config_.port);
  {
    std::lock_guard lock(me.mutex_);
    me.connected_ = true;
  }
  me.announce();
}

void MqttChannel::on_disconnect(mosquitto*, void* self, int rc) {
  auto& me = *static_cast<MqttChannel*>(self);
  {
    std::lock_guard lock(me.mutex_);
    me.connected_ = false;
  }
  if (rc != 0) spdlog::warn("mqtt {}:{}: connection lost; reconnecting", me.config_.host, me.config_.port);
}

void MqttChannel::on_publish(mosquitto*, void* self, int mid) {
  auto& me = *static_cast<MqttChannel*>(self);
  std::lock_guard lock(me.mutex_);
  me.acked_.insert(mid);
  me.acked_cv_.notify_all();
}

void MqttChannel::announce() {
  for (const auto& m : announcement(config_)) publish(m.topic, m.payload(), m.retain);
}

int MqttChannel::publish(const std::string& topic, std::string_view payload, bool retain) {
  int mid = 0;
  const int rc = mosquitto_publish(client_, &mid, topic.c_str(), static_cast<int>(payload.size()),
                                   payload.data(), 1, retain);
  if (rc != MOSQ_ERR_SUCCESS) {
    throw DeliveryError(fmt::format("mqtt: cannot publish to {}: {}", topic, mosquitto_strerror(rc)), true);
  }
  return mid;
}

void MqttChannel::send(const Notice& notice) {
  {
    std::lock_guard lock(mutex_);
    if (!connected_) {
      throw DeliveryError(fmt::format("mqtt: not connected to {}:{}", config_.host, config_.port), true);
    }
    acked_.clear();  // acknowledgements of earlier messages (announcements) are not this one's
  }
  std::vector<int> mids;
  for (const auto& m : event_messages(config_, notice))
    mids.push_back(publish(m.topic, m.payload(), m.retain));
  std::unique_lock lock(mutex_);
  const bool all_acked = acked_cv_.wait_for(lock, timeout_, [&] {
    return std::all_of(mids.begin(), mids.end(), [&](int mid) { return acked_.count(mid) > 0; });
  });
  for (const int mid : mids) acked_.erase(mid);
  if (!all_acked) {
    throw DeliveryError(
        fmt::format("mqtt: {}:{} did not acknowledge within the timeout", config_.host, config_.port), true);
  }
}

}  // namespace doorbell::notify
