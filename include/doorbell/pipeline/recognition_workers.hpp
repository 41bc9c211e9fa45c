#pragma once
// RecognitionWorkers: pipeline.workers threads (default: one per usable CPU, usable_cpus()), each with
// its own FaceEngine and gallery connection, turning queued rings into stored events — of the frames the
// assessor has already looked at (the pre-roll's, or those after the ring when it shows no usable face:
// ring_frames.hpp) those with the best faces are described, faces vote across frames into one decision
// per person, each unknown face joins its visitor cluster (VisitorBook), an annotated snapshot is written
// (atomically; an event whose snapshot could not be written has none) and the events row with its planned
// notifications — or, when that cannot be stored, the decision is held in `spool` — then the sink is told.
// Failed writes reach `storage`. start()/stop() from one thread; the workers themselves are independent.

#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <vector>

#include "doorbell/capture/live_frame.hpp"
#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/gallery/gallery_cache.hpp"
#include "doorbell/gallery/visitor_book.hpp"
#include "doorbell/pipeline/assessed_frames.hpp"
#include "doorbell/pipeline/ring_intake.hpp"
#include "doorbell/recognition/stage_metrics.hpp"
#include "doorbell/storage/event_spool.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/storage_health.hpp"

namespace doorbell::pipeline {

// Which notifications an event gets; they are stored with it, in one transaction.
using DeliveryPlanner = std::function<std::vector<storage::NewDelivery>(const model::Event&)>;
// Told about every decided event, stored (with its id) or held in the spool (id 0).
using EventSink = std::function<void(const model::Event&)>;
// Makes each worker's face engine; empty: FaceEngine on the configured models.
using EngineFactory = std::function<std::unique_ptr<recognition::FaceAnalyser>()>;

class RecognitionWorkers {
 public:
  // `live` and `assessed` are null without a camera: events then have no faces and no snapshot. Loads
  // one FaceEngine per worker; throws recognition::ModelError. Each ring's span gets frames.select,
  // face.embed, face.match and event.store children.
  RecognitionWorkers(const Config& config, const capture::LiveFrame* live, AssessedFrames* assessed,
                     RingIntake& intake, gallery::GalleryCache& gallery, gallery::VisitorBook& book,
                     storage::EventStore& events, storage::EventSpool& spool, storage::StorageHealth& storage,
                     HealthRegistry& health, prometheus::Registry& registry, const Tracer& tracer,
                     const DeliveryPlanner& planner, const EventSink& sink,
                     const EngineFactory& make_engine = {});
  ~RecognitionWorkers();

  void start();
  void stop();  // finishes the rings being processed; queued ones stay for the drain on shutdown

 private:
  struct Recogniser;  // one worker thread with its engine and connection
  std::vector<std::unique_ptr<Recogniser>> recognisers_;
};

}  // namespace doorbell::pipeline
