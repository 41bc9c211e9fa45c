#include "doorbell/pipeline/recognition_workers.hpp"

#include <fmt/format.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "doorbell/capture/annotate.hpp"
#include "doorbell/common/cpu_budget.hpp"
#include "doorbell/common/event_kinds.hpp"
#include "doorbell/gallery/visitors.hpp"
#include "doorbell/observability/span_context.hpp"
#include "doorbell/pipeline/ring_frames.hpp"
#include "doorbell/recognition/face_engine.hpp"
#include "doorbell/recognition/frame_choice.hpp"
#include "doorbell/storage/atomic_file.hpp"
#include "doorbell/storage/file_sweep.hpp"
#include "doorbell/storage/gallery_store.hpp"

namespace doorbell::pipeline {
namespace {

using gallery::Verdict;

const prometheus::Histogram::BucketBoundaries kLatencyBuckets{0.05, 0.1, 0.25, 0.5, 0.75, 1,
                                                              1.5,  2,   3,    5,   10};

capture::LabelColour colour_of(Verdict v) {
  return v == Verdict::known         ? capture::LabelColour::known
         : v == Verdict::blacklisted ? capture::LabelColour::blacklisted
                                     : capture::LabelColour::unknown;
}

std::string kind_of(const std::vector<gallery::Visitor>& visitors,
                    const std::vector<std::optional<gallery::Sighting>>& sightings) {
  const auto any = [&](Verdict v) {
    return std::any_of(visitors.begin(), visitors.end(), [v](const auto& x) { return x.verdict == v; });
  };
  if (any(Verdict::blacklisted)) return "blacklisted";
  if (any(Verdict::known)) return "known";
  if (visitors.empty()) return "no_face";
  const bool all_ignored =
      std::all_of(sightings.begin(), sightings.end(), [](const auto& s) { return s && s->ignored; });
  return all_ignored ? "ignored" : "unknown";
}

}  // namespace

// One recogniser: a worker thread with its engine and its database connection.
struct RecognitionWorkers::Recogniser {
  Recogniser(int index, const Config& c, const capture::LiveFrame* f, AssessedFrames* a, RingIntake& i,
             gallery::GalleryCache& g, gallery::VisitorBook& b, storage::EventStore& e,
             storage::EventSpool& sp, storage::StorageHealth& sh, HealthRegistry& health,
             prometheus::Registry& registry, const Tracer& t, DeliveryPlanner p, EventSink s)
      : config(c),
        live(f),
        assessed(a),
        rules{static_cast<std::size_t>(c.pipeline.preroll_frames),
              static_cast<std::size_t>(c.pipeline.frames_after_ring),
              std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                  std::chrono::duration<double>(c.pipeline.frame_wait_seconds)),
              f != nullptr ? f->fresh_for() : std::chrono::steady_clock::duration::max()},
        intake(i),
        gallery(g),
        book(b),
        events(e),
        spool(sp),
        storage_health(sh),
        tracer(t),
        planner(std::move(p)),
        sink(std::move(s)),
        engine(c.recognition),
        stages(registry),
        store(storage::records_location(c.storage)),
        component(health.add(fmt::format("recognition_worker_{}", index),
                             std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::duration<double>(c.daemon.heartbeat_timeout_seconds)))),
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
    for (const auto kind : kEventKinds)
      events_total.Add({{"kind", std::string(kind)}});  // every series from 0
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
        std::make_shared<const AssessedFrame>(assess_frame(engine, std::move(latest), config.recognition)));
    stages.observe_assessment(engine.last_timings());
    found.after_ring = 1;
  }

  // Describes the faces of the frames with the best ones (face.embed): they were found, aligned and
  // gated by the assessor already. Returns the frames described — or, when none shows a usable face,
  // the newest one, which still shows the doorstep.
  std::vector<capture::FramePtr> recognise(const RingFrames& found,
                                           std::vector<std::vector<recognition::Face>>& faces) {
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
    std::vector<const recognition::FaceEngine::Assessment*> assessments;
    for (const auto i : best) {
      assessments.push_back(found.frames[i]->assessment.get());
      chosen.push_back(found.frames[i]->frame);
    }
    faces = engine.describe(assessments);  // batched across every face of every chosen frame
    stages.observe_description(engine.last_timings());
    std::int64_t described = 0;
    for (const auto& frame_faces : faces) {
      described +=
          std::count_if(frame_faces.begin(), frame_faces.end(), [](const auto& f) { return f.quality.ok(); });
    }
    embed.set("doorbell.faces.described", described);
    return chosen;
  }

  void process(std::stop_token stop, Ring& ring) {
    ScopedSpanContext in_ring(ring.span.context());
    std::vector<std::vector<recognition::Face>> faces;
    auto chosen = recognise(frames_for(stop, ring), faces);
    if (chosen.empty() && live != nullptr) {  // nothing assessed in time: the newest fresh frame
      if (auto latest = live->latest_fresh(std::chrono::steady_clock::now()))
        chosen.push_back(std::move(latest));
    }
    const bool camera_down = live != nullptr && chosen.empty();
    if (camera_down) {
      spdlog::warn(
          "ring from {}: no frame from the camera in the last {:.1f} s: recorded as camera_unavailable",
          ring.source, std::chrono::duration<double>(live->fresh_for()).count());
    }
    std::vector<gallery::Visitor> visitors;
    std::vector<std::optional<gallery::Sighting>> sightings;
    {
      auto match = tracer.start("face.match");
      std::shared_ptr<const gallery::GalleryIndex> index;
      try {
        index = gallery.get(store);
      } catch (const storage::DatabaseError& e) {  // never a ring lost for it: told, every face unknown
        spdlog::error("ring from {}: no gallery loaded yet, every face is unknown: {}", ring.source,
                      e.what());
        index = std::make_shared<const gallery::GalleryIndex>();
      }
      visitors = gallery::decide_visitors(
          faces, *index, {config.recognition.match_threshold, config.recognition.match_margin});
      for (auto& v : visitors) sightings.push_back(book.sight(v));
      match.set("doorbell.visitors", static_cast<std::int64_t>(visitors.size()));
    }

    storage::EventRecord event;
    event.door = config.door.id;
    event.time = storage::iso_time(ring.wall_time);
    event.clock_synced = ring.clock_synchronised;
    event.source = ring.source;
    event.kind = camera_down ? "camera_unavailable" : kind_of(visitors, sightings);
    event.ring_id = ring.journal_id;
    std::vector<capture::BoxLabel> labels;
    for (std::size_t i = 0; i < visitors.size(); ++i) {
      const auto& v = visitors[i];
      const auto name = v.person ? v.person->name : std::string();
      nlohmann::json face{
          {"result", to_string(v.verdict)},
          {"distance", v.distance},
          {"votes", v.votes},
          {"frames", v.frames},
          {"box", {{"x", v.box.x}, {"y", v.box.y}, {"width", v.box.width}, {"height", v.box.height}}}};
      if (!name.empty()) {
        face["name"] = name;
        event.names.push_back(name);
      }
      const auto& seen = sightings[i];
      if (seen) {
        face["visitor"] = {{"id", seen->visitor_id}, {"seen", seen->seen}, {"ignored", seen->ignored}};
      }
      event.faces.push_back(std::move(face));
      labels.push_back({v.box,
                        !name.empty() ? name
                        : seen        ? fmt::format("Visitor {}", seen->visitor_id)
                                      : std::string("unknown"),
                        colour_of(v.verdict)});
      event.described.push_back({static_cast<int>(i), v.descriptor, v.quality.sharpness, v.quality.width_px,
                                 capture::face_crop_jpeg(chosen[v.best_frame]->image, v.box),
                                 v.person ? v.person->id : 0, seen ? seen->visitor_id : 0});
    }
    const std::size_t best = visitors.empty() ? chosen.size() - 1 : visitors.front().best_frame;
    auto storing = tracer.start("event.store");
    std::vector<std::uint8_t> jpeg;
    std::filesystem::path snapshot;
    if (!chosen.empty()) {
      // Boxes of the first visitor's best frame; other visitors' boxes come from their own best frames.
      jpeg = capture::annotated_jpeg(chosen[best]->image, labels);
      const auto ring_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(ring.wall_time.time_since_epoch()).count();
      const auto name = std::filesystem::path("events") / event.time.substr(0, 10) /
                        fmt::format("{}-{}.jpg", ring_ms, chosen[best]->sequence);
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
        .set("doorbell.event.kind", event.kind)
        .set("doorbell.names", fmt::format("{}", fmt::join(event.names, ",")))
        .set("doorbell.latency_seconds", event.latency_seconds);
    ring.span.end();
    latency.Observe(event.latency_seconds);
    events_total.Add({{"kind", event.kind}}).Increment();
    sink(event);
  }

  // Writes the snapshot — or names it, when the records keep it (insert() stores it then); an event whose
  // snapshot cannot be written is still worth keeping, without it.
  void keep_snapshot(storage::EventRecord& event, std::span<const std::uint8_t> jpeg,
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
  bool record(storage::EventRecord& event, std::vector<std::uint8_t> jpeg,
              const std::filesystem::path& snapshot) {
    event.idempotency_key =
        storage::event_key(event.door, event.ring_id, event.time);  // however often stored
    auto deliveries =
        storage::new_deliveries(planner(event), storage::iso_time(std::chrono::system_clock::now()));
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
  RingIntake& intake;
  gallery::GalleryCache& gallery;
  gallery::VisitorBook& book;
  storage::EventStore& events;
  storage::EventSpool& spool;
  storage::StorageHealth& storage_health;
  const Tracer& tracer;
  DeliveryPlanner planner;
  EventSink sink;
  recognition::FaceEngine engine;
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
                                       const DeliveryPlanner& planner, const EventSink& sink) {
  const int count = config.pipeline.workers > 0 ? config.pipeline.workers : usable_cpus();
  spdlog::info("recognition: {} worker(s){}", count,
               config.pipeline.workers > 0 ? " (pipeline.workers)" : ", one per usable CPU");
  for (int i = 0; i < count; ++i) {
    recognisers_.push_back(std::make_unique<Recogniser>(i, config, live, assessed, intake, gallery, book,
                                                        events, spool, storage, health, registry, tracer,
                                                        planner, sink));
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
