#pragma once
// What doorbelld publishes over MQTT, as plain data: its announcement (availability, and Home Assistant
// discovery of the ring event, the snapshot image and the last-visitor sensor) and the messages of one
// event. Stateless; thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "doorbell/config/config.hpp"
#include "doorbell/notify/channel.hpp"

namespace doorbell::notify {

struct MqttMessage {
  std::string topic;
  std::string text;  // the payload, unless `bytes` is set
  bool retain = false;
  std::span<const std::uint8_t> bytes;  // a binary payload borrowed from the notice (the snapshot)

  std::string_view payload() const {
    return bytes.empty() ? std::string_view(text)
                         : std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
};

// <prefix>/availability "online", then (unless mqtt.discovery_prefix is empty) the retained discovery
// configurations <discovery>/<component>/<node id>/<object>/config.
std::vector<MqttMessage> announcement(const MqttConfig& config);
// <prefix>/event (the event JSON), <prefix>/snapshot (the JPEG, retained, when there is one) and
// <prefix>/last_visitor (names, "unknown" or "no face"; retained).
std::vector<MqttMessage> event_messages(const MqttConfig& config, const Notice& notice);

}  // namespace doorbell::notify
