#include "doorbell/pipeline/recognition_workers.hpp"

#include <fmt/format.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "doorbell/capture/annotate.hpp"
#include "doorbell/common/clock.hpp"
#include "doorbell/common/cpu_budget.hpp"
#include "doorbell/decision/ring_decision.hpp"
#include "doorbell/model/time_text.hpp"
#include "doorbell/observability/span_context.hpp"
#include "doorbell/pipeline/ring_frames.hpp"
#include "doorbell/recognition/face_engine.hpp"
#include "doorbell/recognition/frame_choice.hpp"
#include "doorbell/storage/atomic_file.hpp"
#include "doorbell/storage/file_sweep.hpp"
#include "doorbell/storage/gallery_store.hpp"

namespace doorbell::pipeline {
namespace {

const prometheus::Histogram::BucketBoundaries kLatencyBuckets{0.05, 0.1, 0.25, 0.5, 0.75, 1,
                                                              1.5,  2,   3,    5,   10};

capture::LabelColour colour_of(model::Verdict v) {
  return v == model::Verdict::known         ? capture::LabelColour::known
         : v == model::Verdict::blacklisted ? capture::LabelColour::blacklisted
                                            : capture::LabelColour::unknown;
}

std::string label_of(const model::FaceOutcome& face) {
  if (!face.name.empty()) return face.name;
  return face.visitor ? fmt::format("Visitor {}", face.visitor->visitor_id) : std::string("unknown");
}

}  // namespace

// One recogniser: a worker thread with its engine and its database connection.
struct RecognitionWorkers::Recogniser {
  Recogniser(int index, const Config& c, const capture::LiveFrame* f, AssessedFrames* a, RingIntake& i,
             gallery::GalleryCache& g, gallery::VisitorBook& b, storage::EventStore& e,
             storage::EventSpool& sp, storage::StorageHealth& sh, HealthRegistry& health,
             prometheus::Registry& registry, const Tracer& t, DeliveryPlanner p, EventSink s,
             std::unique_ptr<recognition::FaceAnalyser> face_engine)
      : config(c),
        live(f),
        assessed(a),
        rules{static_cast<std::size_t>(c.pipeline.preroll_frames),
              static_cast<std::size_t>(c.pipeline.frames_after_ring), ticks(c.pipeline.frame_wait_seconds),
              f != nullptr ? f->fresh_for() : std::chrono::steady_clock::duration::max()},
        decision_rules{{c.recognition.match_threshold, c.recognition.match_margin}, c.visitors.threshold},
        intake(i),
        gallery(g),
        book(b),
        events(e),
        spool(sp),
        storage_health(sh),
        tracer(t),
        planner(std::move(p)),
        sink(std::move(s)),
        engine(std::move(face_engine)),
        stages(registry),
        store(storage::records_location(c.storage)),
        component(health.add(fmt::format("recognition_worker_{}", index),
                             ticks(c.daemon.heartbeat_timeout_seconds))),
        latency(prometheus::BuildHistogram()
                    .Name("doorbell_ring_to_decision_seconds")
                    .Help("Time from a ring to its decision being stored, snapshot included")
                    .Register(registry)
                    .Add({}, kLatencyBuckets)),
        events_total(prometheus::BuildCounter()
                         .Name("doorbell_events_total")
                         .Help("Events decided, by kind: blacklisted, known, unknown, ignored, no_face, "
                               "camera_unavailable")
                         .Register(registry)) {
    for (const auto kind : model::kEventKinds)
      events_total.Add({{"kind", model::to_string(kind)}});  // every series from 0
  }

  void run(std::stop_token stop, Component& self) {
    self.set_ready();
    while (!stop.stop_requested()) {
      self.beat();
      if (auto ring = intake.queue().pop_for(std::chrono::milliseconds(200))) {
        try {
          process(stop, *ring);
        } catch (const std::exception& e) {
          ring->span.set_error(e.what());
          spdlog::error("ring from {} could not be recorded: {}", ring->source, e.what());
        }
      }
    }
  }

  // The ring's assessed frames (frames.select): those of the pre-roll, and those after the ring when
  // the pre-roll shows no usable face (ring_frames.hpp). None without a camera.
  RingFrames frames_for(std::stop_token stop, const Ring& ring) {
    if (assessed == nullptr) return {};
    const auto start = std::chrono::steady_clock::now();
    auto select = tracer.start("frames.select");
    auto found = frames_for_ring(*assessed, ring.at, rules, stop);
    const bool behind = found.waited && found.after_ring == 0 && rules.after > 0;
    if (behind) assess_newest(found);
    stages.observe_selection(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    select.set("doorbell.frames.considered", static_cast<std::int64_t>(found.frames.size()))
        .set("doorbell.frames.assessed_by_worker", behind)
        .set("doorbell.frames.after_ring", static_cast<std::int64_t>(found.after_ring))
        .set("doorbell.frames.waited", found.waited);
    return found;
  }

  // The assessor had no frame from after the ring in time (a machine too slow for the frame rate, or
  // just started): the worker finds the faces in the newest fresh frame itself.
  void assess_newest(RingFrames& found) {
    auto latest = live->latest_fresh(std::chrono::steady_clock::now());
    if (!latest) return;
    found.frames.push_back(
        std::make_shared<const AssessedFrame>(assess_frame(*engine, std::move(latest), config.recognition)));
    stages.observe_assessment(engine->last_timings());
    found.after_ring = 1;
  }

  // Describes the faces of the frames with the best ones (face.embed): they were found, aligned and
  // gated by the assessor already. Returns the frames described — or, when none shows a usable face,
  // the newest one, which still shows the doorstep.
  std::vector<capture::FramePtr> recognise(const RingFrames& found,
                                           std::vector<std::vector<model::Face>>& faces) {
    std::vector<double> scores;
    scores.reserve(found.frames.size());
    for (const auto& a : found.frames) scores.push_back(a->score);
    const auto best =
        recognition::best_frames(scores, static_cast<std::size_t>(config.pipeline.recognise_frames));
    if (best.empty()) {
      if (found.frames.empty()) return {};
      return {found.frames.back()->frame};
    }
    auto embed = tracer.start("face.embed");
    std::vector<capture::FramePtr> chosen;
    std::vector<const recognition::Assessment*> assessments;
    for (const auto i : best) {
      assessments.push_back(found.frames[i]->assessment.get());
      chosen.push_back(found.frames[i]->frame);
    }
    faces = engine->describe(assessments);  // batched across every face of every chosen frame
    stages.observe_description(engine->last_timings());
    std::int64_t described = 0;
    for (const auto& frame_faces : faces) {
      described +=
          std::count_if(frame_faces.begin(), frame_faces.end(), [](const auto& f) { return f.quality.ok(); });
    }
    embed.set("doorbell.faces.described", described);
    return chosen;
  }

  // A ring, from its frames to its stored event: choose frames, describe, decide, record.
  void process(std::stop_token stop, Ring& ring) {
    ScopedSpanContext in_ring(ring.span.context());
    std::vector<std::vector<model::Face>> faces;
    auto chosen = recognise(frames_for(stop, ring), faces);
    if (chosen.empty() && live != nullptr) {  // nothing assessed in time: the newest fresh frame
      if (auto latest = live->latest_fresh(std::chrono::steady_clock::now()))
        chosen.push_back(std::move(latest));
    }
    faces.resize(chosen.size());  // a frame without a usable face has none
    const bool camera_down = live != nullptr && chosen.empty();
    if (camera_down) {
      spdlog::warn(
          "ring from {}: no frame from the camera in the last {:.1f} s: recorded as camera_unavailable",
          ring.source, std::chrono::duration<double>(live->fresh_for()).count());
    }
    const auto decision = decide({faces, camera_down}, ring);
    auto event = event_of(decision, ring, chosen);
    auto storing = tracer.start("event.store");
    std::vector<std::uint8_t> jpeg;
    std::filesystem::path snapshot;
    if (!chosen.empty()) {
      const auto& frame = *chosen[decision.snapshot_frame];
      jpeg = annotated_snapshot(decision, frame);
      const auto ring_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(ring.wall_time.time_since_epoch()).count();
      const auto name = std::filesystem::path("events") / event.time.substr(0, 10) /
                        fmt::format("{}-{}.jpg", ring_ms, frame.sequence);
      snapshot = std::filesystem::path(config.storage.data_dir) / name;
      keep_snapshot(event, jpeg, snapshot, name);
    }
    if (ring.span.context().sampled) {  // notifications continue this trace
      event.trace_id = ring.span.context().trace_id_hex();
      event.span_id = ring.span.context().span_id_hex();
    }
    event.latency_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ring.at).count();
    if (!record(event, std::move(jpeg), snapshot)) {
      ring.span.set_error("lost: neither stored nor held");
      return;
    }
    storing.set("doorbell.event.id", event.id);
    storing.end();
    ring.span.set("doorbell.event.id", event.id)
        .set("doorbell.event.kind", model::to_string(event.kind))
        .set("doorbell.names", fmt::format("{}", fmt::join(event.names, ",")))
        .set("doorbell.latency_seconds", event.latency_seconds);
    ring.span.end();
    latency.Observe(event.latency_seconds);
    events_total.Add({{"kind", model::to_string(event.kind)}}).Increment();
    sink(event);
  }

  // The ring's decision (face.match) over the gallery as cached and the familiar faces as they stand.
  decision::Decision decide(const decision::Seen& seen, const Ring& ring) {
    auto match = tracer.start("face.match");
    std::shared_ptr<const model::GalleryIndex> index;
    try {
      index = gallery.get(store);
    } catch (const storage::DatabaseError& e) {  // never a ring lost for it: told, every face unknown
      spdlog::error("ring from {}: no gallery loaded yet, every face is unknown: {}", ring.source, e.what());
      index = std::make_shared<const model::GalleryIndex>();
    }
    // The frames' vote before the familiar faces are locked: rings at once hold each other up less.
    auto votes = decision::vote_faces(seen.frames, *index, decision_rules.match);
    auto decision = book.decide([&](const decision::VisitorView& visitors) {
      return decision::decide_votes(std::move(votes), seen, visitors, decision_rules);
    });
    match.set("doorbell.visitors", static_cast<std::int64_t>(decision.people.size()));
    return decision;
  }

  // The event a decision makes: its outcomes and names, and each described face with its crop.
  model::Event event_of(const decision::Decision& decision, const Ring& ring,
                        const std::vector<capture::FramePtr>& chosen) const {
    model::Event event;
    event.door = config.door.id;
    event.time = model::iso_time(ring.wall_time);
    event.clock_synced = ring.clock_synchronised;
    event.source = ring.source;
    event.kind = decision.kind;
    event.ring_id = ring.journal_id;
    for (std::size_t i = 0; i < decision.people.size(); ++i) {
      const auto& [outcome, vote, placement] = decision.people[i];
      if (!outcome.name.empty()) event.names.push_back(outcome.name);
      event.faces.push_back(outcome);
      event.described.push_back(
          {static_cast<int>(i), vote.descriptor, vote.quality.sharpness, vote.quality.width_px,
           capture::face_crop_jpeg(chosen[vote.best_frame]->image, vote.box),
           vote.person ? vote.person->id : 0, outcome.visitor ? outcome.visitor->visitor_id : 0});
    }
    return event;
  }

  // The snapshot: its frame with every person's box and label, each box from that person's own best frame.
  static std::vector<std::uint8_t> annotated_snapshot(const decision::Decision& decision,
                                                      const capture::Frame& frame) {
    std::vector<capture::BoxLabel> labels;
    labels.reserve(decision.people.size());
    for (const auto& p : decision.people)
      labels.push_back({p.outcome.box, label_of(p.outcome), colour_of(p.outcome.verdict)});
    return capture::annotated_jpeg(frame.image, labels);
  }

  // Writes the snapshot — or names it, when the records keep it (insert() stores it then); an event whose
  // snapshot cannot be written is still worth keeping, without it.
  void keep_snapshot(model::Event& event, std::span<const std::uint8_t> jpeg,
                     const std::filesystem::path& file, const std::filesystem::path& name) {
    if (events.keeps_snapshots()) {
      event.snapshot_path = name.string();
      event.snapshot_bytes = static_cast<std::int64_t>(jpeg.size());
      return;
    }
    try {
      storage::write_file_atomically(file, jpeg);
      storage_health.succeeded(storage::StoredItem::snapshot);
      event.snapshot_path = file.string();
      event.snapshot_bytes = storage::bytes_on_disk(file);  // what the retention size cap counts
    } catch (const std::exception& e) {
      spdlog::error("ring from {} at {}: snapshot not kept: {}", event.source, event.time, e.what());
      storage_health.failed(storage::StoredItem::snapshot, e.what());
    }
  }

  // Stores the decision with its planned deliveries or, when that fails, holds it (and its snapshot) in
  // the spool, whose deliveries go at once. False only when the spool is full too (logged, counted).
  bool record(model::Event& event, std::vector<std::uint8_t> jpeg, const std::filesystem::path& snapshot) {
    event.idempotency_key =
        storage::event_key(event.door, event.ring_id, event.time);  // however often stored
    auto deliveries =
        storage::new_deliveries(planner(event), model::iso_time(std::chrono::system_clock::now()));
    try {
      event.id = events.insert(event, std::span<const storage::Delivery>(deliveries), jpeg);
      storage_health.succeeded(storage::StoredItem::event);
      return true;
    } catch (const std::exception& e) {
      spdlog::error("ring from {} at {} could not be stored: {}", event.source, event.time, e.what());
      storage_health.failed(storage::StoredItem::event, e.what());
    }
    return spool.hold(event, std::move(deliveries), std::move(jpeg), snapshot);
  }

  const Config& config;
  const capture::LiveFrame* live;
  AssessedFrames* assessed;
  const RingFrameRules rules;
  const decision::Rules decision_rules;
  RingIntake& intake;
  gallery::GalleryCache& gallery;
  gallery::VisitorBook& book;
  storage::EventStore& events;
  storage::EventSpool& spool;
  storage::StorageHealth& storage_health;
  const Tracer& tracer;
  DeliveryPlanner planner;
  EventSink sink;
  const std::unique_ptr<recognition::FaceAnalyser> engine;
  recognition::StageMetrics stages;
  storage::GalleryStore store;
  Component& component;
  prometheus::Histogram& latency;
  prometheus::Family<prometheus::Counter>& events_total;
  std::unique_ptr<Worker> worker;  // last: stops before the rest goes
};

RecognitionWorkers::RecognitionWorkers(const Config& config, const capture::LiveFrame* live,
                                       AssessedFrames* assessed, RingIntake& intake,
                                       gallery::GalleryCache& gallery, gallery::VisitorBook& book,
                                       storage::EventStore& events, storage::EventSpool& spool,
                                       storage::StorageHealth& storage, HealthRegistry& health,
                                       prometheus::Registry& registry, const Tracer& tracer,
                                       const DeliveryPlanner& planner, const EventSink& sink,
                                       const EngineFactory& make_engine) {
  const int count = config.pipeline.workers > 0 ? config.pipeline.workers : usable_cpus();
  spdlog::info("recognition: {} worker(s){}", count,
               config.pipeline.workers > 0 ? " (pipeline.workers)" : ", one per usable CPU");
  for (int i = 0; i < count; ++i) {
    recognisers_.push_back(std::make_unique<Recogniser>(
        i, config, live, assessed, intake, gallery, book, events, spool, storage, health, registry, tracer,
        planner, sink,
        make_engine ? make_engine() : std::make_unique<recognition::FaceEngine>(config.recognition)));
  }
}

RecognitionWorkers::~RecognitionWorkers() {
  stop();
}

void RecognitionWorkers::start() {
  for (auto& r : recognisers_) {
    r->worker = std::make_unique<Worker>(
        r->component,
        [recogniser = r.get()](std::stop_token stop, Component& self) { recogniser->run(stop, self); });
  }
}

void RecognitionWorkers::stop() {
  for (auto& r : recognisers_) {
    if (r->worker) r->worker->request_stop();
  }
  for (auto& r : recognisers_) {
    if (r->worker) r->worker->join();
  }
}

}  // namespace doorbell::pipeline
