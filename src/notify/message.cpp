#include "doorbell/notify/message.hpp"

#include <fmt/format.h>

#include "doorbell/common/json_text.hpp"
#include "doorbell/storage/face_outcome_json.hpp"

namespace doorbell::notify {
namespace {

std::string names_of(const model::Event& e) {
  return fmt::format("{}", fmt::join(e.names, " and "));
}

const char* how(const model::Event& e) {
  return e.source == "presence" ? "waiting, has not rung" : "rang";
}

// "Visitor 7" for each unknown face in a visitor cluster; empty when any unknown face has none.
std::vector<std::string> visitor_names(const model::Event& e, bool with_visits) {
  std::vector<std::string> out;
  for (const auto& f : e.faces) {
    if (f.verdict != model::Verdict::unknown) continue;
    if (!f.visitor) return {};
    auto name = fmt::format("Visitor {}", f.visitor->visitor_id);
    if (with_visits) {
      const auto seen = f.visitor->seen;
      name += fmt::format(" ({}{})", f.visitor->ignored ? "ignored; " : "",
                          seen <= 1 ? "first visit" : fmt::format("seen {} times", seen));
    }
    out.push_back(std::move(name));
  }
  return out;
}

// "14:03" of an ISO time; the text as it is when it is not one.
std::string hours_minutes(const std::string& time) {
  return time.size() >= 16 ? time.substr(11, 5) : time;
}

}  // namespace

std::string title(const model::Event& e) {
  if (e.kind == model::EventKind::blacklisted) return fmt::format("Doorbell: BLACKLISTED {}", names_of(e));
  if (e.kind == model::EventKind::known) return fmt::format("Doorbell: {}", names_of(e));
  if (e.kind == model::EventKind::ignored)
    return fmt::format("Doorbell: {} (ignored)", fmt::join(visitor_names(e, false), " and "));
  if (e.kind == model::EventKind::unknown) {
    const auto visitors = visitor_names(e, false);
    return visitors.empty() ? "Doorbell: unknown visitor"
                            : fmt::format("Doorbell: {}", fmt::join(visitors, " and "));
  }
  if (e.kind == model::EventKind::interrupted || e.kind == model::EventKind::camera_unavailable)
    return "Doorbell: someone rang";
  return "Doorbell";
}

std::string text(const model::Event& e) {
  const char* is = e.names.size() > 1 ? "are" : "is";
  if (e.kind == model::EventKind::blacklisted) {
    return fmt::format("{} (on the blacklist) {} at the door ({}).", names_of(e), is, how(e));
  }
  if (e.kind == model::EventKind::known)
    return fmt::format("{} {} at the door ({}).", names_of(e), is, how(e));
  if (e.kind == model::EventKind::unknown || e.kind == model::EventKind::ignored) {
    const auto visitors = visitor_names(e, true);
    if (!visitors.empty()) {
      return fmt::format("{} {} at the door ({}).", fmt::join(visitors, " and "),
                         visitors.size() > 1 ? "are" : "is", how(e));
    }
    return fmt::format("{} unknown visitor{} at the door ({}).", e.faces.size(),
                       e.faces.size() == 1 ? "" : "s", how(e));
  }
  if (e.kind == model::EventKind::interrupted) {
    return fmt::format("Someone rang at {} UTC; doorbelld restarted before it could see who.",
                       hours_minutes(e.time));
  }
  if (e.kind == model::EventKind::camera_unavailable) {
    return fmt::format("Someone rang at {} UTC; the camera is unavailable, so doorbelld could not see who.",
                       hours_minutes(e.time));
  }
  return fmt::format("Someone is at the door ({}); no face in view.", how(e));
}

nlohmann::json event_json(const Notice& n) {
  const auto& e = n.event;
  auto faces = nlohmann::json::array();
  for (const auto& f : e.faces) {
    // The distance is null when nobody is enrolled (infinitely far from everyone).
    nlohmann::json face{{"result", model::to_string(f.verdict)},
                        {"distance", storage::distance_json(f.distance)}};
    if (!f.name.empty()) face["name"] = f.name;
    if (f.visitor) face["visitor"] = storage::sighting_json(*f.visitor);
    faces.push_back(std::move(face));
  }
  return {{"event_id", e.id != 0 ? nlohmann::json(e.id) : nlohmann::json(nullptr)},  // null: held, not stored
          {"event_type", model::to_string(e.kind)},
          {"time", e.time},
          {"source", e.source},
          {"kind", model::to_string(e.kind)},
          {"names", e.names},
          {"faces", faces},
          {"snapshot_url", n.snapshot_url.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.snapshot_url)},
          {"page_url", n.page_url.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.page_url)},
          {"idempotency_key", n.idempotency_key}};
}

std::string page_action(const model::Event& event) {
  return event.kind == model::EventKind::unknown ? "Who is this?" : "Open";
}

std::string event_json_text(const Notice& notice) {
  return json_text(event_json(notice));
}

}  // namespace doorbell::notify
