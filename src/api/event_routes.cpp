#include "doorbell/api/event_routes.hpp"

#include <fmt/format.h>

#include "doorbell/api/params.hpp"
#include "doorbell/common/door_id.hpp"
#include "doorbell/common/image_codec.hpp"
#include "doorbell/common/names.hpp"
#include "doorbell/http/url_text.hpp"
#include "doorbell/model/event_kind.hpp"
#include "doorbell/storage/face_outcome_json.hpp"

namespace doorbell::api {
namespace {

// An event as the API shows it (the snapshot as its URL).
nlohmann::json event_json(const model::Event& e) {
  return {{"id", e.id},
          {"door", e.door},
          {"time", e.time},
          {"clock_synced", e.clock_synced},
          {"source", e.source},
          {"kind", model::to_string(e.kind)},
          {"faces", storage::faces_json(e.faces)},
          {"names", e.names},
          {"snapshot", e.snapshot_path.empty()
                           ? nlohmann::json(nullptr)
                           : nlohmann::json(fmt::format("/api/events/{}/snapshot.jpg", e.id))},
          {"trace_id", e.trace_id},
          {"latency_seconds", e.latency_seconds}};
}

}  // namespace

Response ring(pipeline::RingIntake& intake) {
  const auto outcome = intake.ring("http");
  const int status = outcome == pipeline::RingOutcome::accepted    ? 202
                     : outcome == pipeline::RingOutcome::coalesced ? 200
                                                                   : 503;
  return json_response(status, {{"outcome", to_string(outcome)}});
}

Response list_events(storage::EventStore& events, const Params& params) {
  storage::EventQuery q;
  read_page(params, q);
  if (const auto kind = text_param(params, "kind")) {
    q.kind = model::parse_event_kind(*kind);
    if (!q.kind) return json_error(400, fmt::format("kind must be one of {}", model::event_kinds_text()));
  }
  if (const auto person = text_param(params, "person")) {
    const auto name = normalize_name(*person);  // as names are stored: "José" typed either way
    const auto* normalised = std::get_if<std::string>(&name);
    if (normalised == nullptr)
      return json_error(400, fmt::format("person: {}", std::get<NameError>(name).message));
    q.person = *normalised;
  }
  q.visitor = integer_param(params, "visitor");
  q.door = text_param(params, "door");
  if (q.door && !is_door_id(*q.door))
    return json_error(400, "door must be a door.id: 1 to 32 of a-z, 0-9 and -");
  auto list = nlohmann::json::array();
  const auto found = events.list(q);
  for (const auto& e : found) list.push_back(event_json(e));
  nlohmann::json body{{"events", list}};
  if (static_cast<int>(found.size()) == q.limit) {  // the next page, with the same filters
    body["next"] = next_page("/api/events", params, found.back().id);
  }
  return json_response(200, body);
}

Response list_doors(storage::EventStore& events) {
  auto list = nlohmann::json::array();
  for (const auto& door : events.doors()) list.push_back({{"id", door.id}, {"name", door.name}});
  return json_response(200, {{"doors", list}});
}

Response get_event(storage::EventStore& events, storage::Outbox& outbox, std::int64_t id) {
  const auto e = events.get(id);
  if (!e) return json_error(404, fmt::format("no event with id {}", id));
  auto body = event_json(*e);
  body["deliveries"] = nlohmann::json::array();
  for (const auto& d : outbox.for_event(id)) body["deliveries"].push_back(storage::to_json(d));
  return json_response(200, body);
}

Response event_snapshot(storage::EventStore& events, std::int64_t id) {
  const auto e = events.get(id);
  if (!e || e->snapshot_path.empty()) return json_error(404, fmt::format("no snapshot for event {}", id));
  const auto jpeg = events.snapshot(*e);
  if (!jpeg) return json_error(404, fmt::format("the snapshot of event {} is gone (retention)", id));
  return content_response("image/jpeg", std::string(jpeg->begin(), jpeg->end()));
}

Response latest_snapshot(const capture::LiveFrame* live) {
  const auto frame = live != nullptr ? live->latest() : nullptr;
  if (!frame) return json_error(503, "no frame captured yet");
  if (const auto now = std::chrono::steady_clock::now(); !live->fresh(*frame, now)) {
    return json_error(503, fmt::format("the camera is unavailable: its newest frame is {:.0f} s old",
                                       std::chrono::duration<double>(now - frame->captured).count()));
  }
  const auto jpeg = encode_jpeg(frame->image.view(), 85);
  return content_response("image/jpeg", std::string(jpeg.begin(), jpeg.end()));
}

void add_event_routes(Server& server, storage::EventStore& events, storage::Outbox& outbox,
                      pipeline::RingIntake& intake, const capture::LiveFrame* live) {
  server.post("/api/ring", [&intake](const Request&) { return ring(intake); });
  server.get("/api/events", [&events](const Request& req) { return list_events(events, req.params); });
  server.get("/api/doors", [&events](const Request&) { return list_doors(events); });
  server.get(R"(/api/events/(\d+))",
             [&events, &outbox](const Request& req) { return get_event(events, outbox, path_id(req)); });
  server.get(R"(/api/events/(\d+)/snapshot\.jpg)",
             [&events](const Request& req) { return event_snapshot(events, path_id(req)); });
  server.get("/api/snapshot.jpg", [live](const Request&) { return latest_snapshot(live); });
}

}  // namespace doorbell::api
