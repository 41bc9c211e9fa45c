#pragma once
// Rings and events over HTTP: POST /api/ring, GET /api/events (paging, time range, kind),
// GET /api/events/{id} (with the state of its notifications), GET /api/events/{id}/snapshot.jpg,
// GET /api/snapshot.jpg (latest frame). Plain functions of their inputs plus their registration.
// Thread-safe.

#include "doorbell/api/transport.hpp"
#include "doorbell/capture/live_frame.hpp"
#include "doorbell/pipeline/ring_intake.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/outbox.hpp"

namespace doorbell::api {

Response ring(pipeline::RingIntake& intake);
Response list_events(storage::EventStore& events, const Params& params);
// The doors whose events are in the records (several share a PostgreSQL database), for the door filter.
Response list_doors(storage::EventStore& events);
Response get_event(storage::EventStore& events, storage::Outbox& outbox,
                   std::int64_t id);  // with deliveries
Response event_snapshot(storage::EventStore& events, std::int64_t id);
Response latest_snapshot(const capture::LiveFrame* live);  // null: no camera

void add_event_routes(Server& server, storage::EventStore& events, storage::Outbox& outbox,
                      pipeline::RingIntake& intake, const capture::LiveFrame* live);

}  // namespace doorbell::api
