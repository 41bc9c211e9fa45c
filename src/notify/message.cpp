#include "doorbell/notify/message.hpp"

#include <fmt/format.h>

#include "doorbell/common/json_text.hpp"

namespace doorbell::notify {
namespace {

std::string names_of(const storage::EventRecord& e) {
  return fmt::format("{}", fmt::join(e.names, " and "));
}

const char* how(const storage::EventRecord& e) {
  return e.source == "presence" ? "waiting, has not rung" : "rang";
}

}  // namespace

std::string title(const storage::EventRecord& e) {
  if (e.kind == "blacklisted") return fmt::format("Doorbell: BLACKLISTED {}", names_of(e));
  if (e.kind == "known") return fmt::format("Doorbell: {}", names_of(e));
  if (e.kind == "unknown") return "Doorbell: unknown visitor";
  if (e.kind == "interrupted" || e.kind == "camera_unavailable") return "Doorbell: someone rang";
  return "Doorbell";
}

std::string text(const storage::EventRecord& e) {
  const char* is = e.names.size() > 1 ? "are" : "is";
  if (e.kind == "blacklisted") {
    return fmt::format("{} (on the blacklist) {} at the door ({}).", names_of(e), is, how(e));
  }
  if (e.kind == "known") return fmt::format("{} {} at the door ({}).", names_of(e), is, how(e));
  if (e.kind == "unknown") {
    return fmt::format("{} unknown visitor{} at the door ({}).", e.faces.size(),
                       e.faces.size() == 1 ? "" : "s", how(e));
  }
  if (e.kind == "interrupted") {
    return fmt::format("Someone rang at {} UTC; doorbelld restarted before it could see who.",
                       e.time.substr(11, 5));
  }
  if (e.kind == "camera_unavailable") {
    return fmt::format("Someone rang at {} UTC; the camera is unavailable, so doorbelld could not see who.",
                       e.time.substr(11, 5));
  }
  return fmt::format("Someone is at the door ({}); no face in view.", how(e));
}

nlohmann::json event_json(const Notice& n) {
  const auto& e = n.event;
  auto faces = nlohmann::json::array();
  for (const auto& f : e.faces) {
    // The distance is null when nobody is enrolled (infinitely far from everyone).
    nlohmann::json face{{"result", f.value("result", "")},
                        {"distance", f.contains("distance") ? f["distance"] : nullptr}};
    if (f.contains("name")) face["name"] = f["name"];
    faces.push_back(std::move(face));
  }
  return {{"event_id", e.id != 0 ? nlohmann::json(e.id) : nlohmann::json(nullptr)},  // null: held, not stored
          {"event_type", e.kind},
          {"time", e.time},
          {"source", e.source},
          {"kind", e.kind},
          {"names", e.names},
          {"faces", faces},
          {"snapshot_url", n.snapshot_url.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.snapshot_url)},
          {"page_url", n.page_url.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.page_url)},
          {"idempotency_key", n.idempotency_key}};
}

std::string page_action(const storage::EventRecord& event) {
  return event.kind == "unknown" ? "Who is this?" : "Open";
}

std::string event_json_text(const Notice& notice) {
  return json_text(event_json(notice));
}

}  // namespace doorbell::notify
