#include "doorbell/notify/mqtt_messages.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "doorbell/common/build_info.hpp"
#include "doorbell/common/json_text.hpp"
#include "doorbell/model/event_kind.hpp"
#include "doorbell/notify/message.hpp"

namespace doorbell::notify {
namespace {

std::string last_visitor(const model::Event& e) {
  if (!e.names.empty()) return fmt::format("{}", fmt::join(e.names, ", "));
  if (e.kind == model::EventKind::camera_unavailable) return "camera unavailable";
  return e.kind == model::EventKind::unknown ? "unknown" : "no face";
}

nlohmann::json event_types() {
  auto types = nlohmann::json::array();
  for (const auto kind : model::kEventKinds) types.push_back(model::to_string(kind));
  return types;
}

}  // namespace

std::vector<MqttMessage> announcement(const MqttConfig& config) {
  const auto& p = config.topic_prefix;
  std::vector<MqttMessage> out{{p + "/availability", "online", true, {}}};
  if (config.discovery_prefix.empty()) return out;
  const nlohmann::json device{{"identifiers", {config.node_id}},
                              {"name", "Doorbell"},
                              {"model", "doorbelld"},
                              {"manufacturer", "doorbelld"},
                              {"sw_version", build_version()}};
  const auto entity = [&](const char* component, const char* object, nlohmann::json entity_config) {
    entity_config["unique_id"] = config.node_id + "_" + object;
    entity_config["availability_topic"] = p + "/availability";
    entity_config["device"] = device;
    out.push_back(
        {fmt::format("{}/{}/{}/{}/config", config.discovery_prefix, component, config.node_id, object),
         json_text(entity_config),
         true,
         {}});
  };
  entity("event", "ring",
         {{"name", "Ring"},
          {"state_topic", p + "/event"},
          {"event_types", event_types()},
          {"device_class", "doorbell"}});
  entity("image", "snapshot",
         {{"name", "Snapshot"}, {"image_topic", p + "/snapshot"}, {"content_type", "image/jpeg"}});
  entity("sensor", "last_visitor",
         {{"name", "Last visitor"}, {"state_topic", p + "/last_visitor"}, {"icon", "mdi:doorbell"}});
  return out;
}

std::vector<MqttMessage> event_messages(const MqttConfig& config, const Notice& notice) {
  const auto& p = config.topic_prefix;
  std::vector<MqttMessage> out{{p + "/event", event_json_text(notice), false, {}}};
  if (!notice.snapshot.empty()) {
    out.push_back({p + "/snapshot", {}, true, notice.snapshot});
  }
  out.push_back({p + "/last_visitor", last_visitor(notice.event), true, {}});
  return out;
}

}  // namespace doorbell::notify
