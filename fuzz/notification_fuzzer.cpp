// What notifications say about an event with arbitrary names, sources and faces (invalid UTF-8 included)
// of every kind: the title and text, the event JSON of webhooks, and every MQTT message with Home Assistant
// discovery for arbitrary topic prefixes and node ids. Never an exception; JSON always valid.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "doorbell/notify/message.hpp"
#include "doorbell/notify/mqtt_messages.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  doorbell::model::Event event;
  event.id = in.ConsumeIntegral<std::int64_t>();
  event.time = in.ConsumeRandomLengthString(32);
  event.source = in.ConsumeRandomLengthString(16);
  event.kind = doorbell::model::kEventKinds[in.ConsumeIntegralInRange<std::size_t>(
      0, doorbell::model::kEventKinds.size() - 1)];
  const int names = in.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < names; ++i) event.names.push_back(in.ConsumeRandomLengthString(40));
  const int faces = in.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < faces; ++i) {
    auto& face = event.faces.emplace_back();
    face.verdict = static_cast<doorbell::model::Verdict>(in.ConsumeIntegralInRange(0, 2));
    face.name = in.ConsumeRandomLengthString(40);
    face.distance = in.ConsumeFloatingPoint<double>();  // NaN and infinities included
    if (in.ConsumeBool())
      face.visitor = doorbell::model::Sighting{in.ConsumeIntegral<std::int64_t>(),
                                               in.ConsumeIntegral<std::int64_t>(), in.ConsumeBool()};
  }
  const auto snapshot = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange(0, 64));
  const doorbell::notify::Notice notice{event, snapshot, in.ConsumeRandomLengthString(64),
                                        in.ConsumeRandomLengthString(32), in.ConsumeRandomLengthString(55)};
  (void)doorbell::notify::title(event);
  (void)doorbell::notify::text(event);
  const auto webhook = doorbell::notify::event_json_text(notice);
  if (nlohmann::json::parse(webhook, nullptr, false).is_discarded()) __builtin_trap();

  doorbell::MqttConfig mqtt;
  mqtt.topic_prefix = in.ConsumeRandomLengthString(24);
  mqtt.discovery_prefix = in.ConsumeRandomLengthString(24);
  mqtt.node_id = in.ConsumeRandomLengthString(24);
  for (const auto& batch :
       {doorbell::notify::announcement(mqtt), doorbell::notify::event_messages(mqtt, notice)}) {
    for (const auto& m : batch) {
      const bool json =
          m.topic.ends_with("/config") || m.topic.ends_with("/event");  // not last_visitor's names
      if (json && nlohmann::json::parse(m.text, nullptr, false).is_discarded()) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
