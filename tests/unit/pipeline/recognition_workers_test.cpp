#include "doorbell/pipeline/recognition_workers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "doorbell/gallery/gallery_cache.hpp"
#include "doorbell/gallery/visitor_book.hpp"
#include "doorbell/observability/metrics.hpp"
#include "doorbell/storage/event_spool.hpp"
#include "doorbell/storage/event_store.hpp"
#include "doorbell/storage/gallery_store.hpp"
#include "doorbell/storage/storage_health.hpp"
#include "fakes/fake_clock.hpp"
#include "fakes/fake_face_engine.hpp"
#include "fakes/recording_sink.hpp"
#include "support/descriptors.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::pipeline {
namespace {

using testing::descriptor_of;
using testing::table_face;

enum Scene : std::uint8_t { kEmptyDoorstep = 1, kDana, kStranger, kDanaAndStranger, kTinyFace };

Config test_config(const std::filesystem::path& dir) {
  Config config;
  config.storage.data_dir = dir.string();
  config.pipeline.workers = 1;
  config.pipeline.hold_off_seconds = Seconds(0);
  config.pipeline.frames_after_ring = 0;  // decide on the pre-roll
  return config;
}

// The recognition workers with everything but the face engine real: the event store, spool, gallery and
// familiar faces on SQLite in a temporary folder; the engine is a table (no models).
class RecognitionWorkersTest : public ::testing::Test {
 protected:
  RecognitionWorkersTest() {
    auto small = table_face(descriptor_of(2), 100, 40);
    small.quality.problem = "too small";
    *table = {
        {kEmptyDoorstep, {}},
        {kDana, {table_face(descriptor_of(0, 0.05f))}},
        {kStranger, {table_face(descriptor_of(1))}},
        {kDanaAndStranger, {table_face(descriptor_of(0, 0.05f), 10), table_face(descriptor_of(1), 180)}},
        {kTinyFace, {small}}};
    storage::GalleryStore(where()).enroll(
        "Dana", model::PersonKind::known,
        std::vector<storage::NewSample>{{descriptor_of(0), 200, 120, "dana.jpg", {}}});
  }
  ~RecognitionWorkersTest() override {
    if (workers) workers->stop();
  }

  storage::Location where() const { return {dir.path(), {}}; }

  void start(const capture::LiveFrame* live = nullptr) {
    workers = std::make_unique<RecognitionWorkers>(
        config, live, &assessed, intake, gallery, book, events, spool, storage_health, health,
        metrics.registry(), tracer, [](const model::Event&) { return std::vector<storage::NewDelivery>{}; },
        sink.sink(),
        [this] {
          auto engine = std::make_unique<testing::FakeFaceEngine>(table);
          engine_used = engine.get();
          return engine;
        });
    workers->start();
  }

  // `count` frames of `scene` in the pre-roll, the newest just before now.
  void show(Scene scene, int count = 3) {
    testing::FakeFaceEngine assessor(table);
    const auto now = std::chrono::steady_clock::now();
    for (int i = count; i > 0; --i) {
      auto frame = std::make_shared<capture::Frame>();
      frame->image = {320, 240, std::vector<std::uint8_t>(320 * 240 * 3, scene)};
      frame->sequence = ++sequence;
      frame->captured = now - std::chrono::milliseconds(100 * i);
      frame->wall_time = std::chrono::system_clock::now();
      assessed.push(assess_frame(assessor, std::move(frame), config.recognition));
    }
  }

  // Rings and waits for the event it makes.
  model::Event ring() {
    const auto before = told;
    EXPECT_EQ(intake.ring("test"), RingOutcome::accepted);
    const auto seen = sink.wait_for(++told);
    EXPECT_GT(seen.size(), before) << "no event";
    return seen.size() > before ? seen.back() : model::Event{};
  }

  testing::TempDir dir;
  const Config config = test_config(dir.path());
  std::shared_ptr<testing::FaceTable> table = std::make_shared<testing::FaceTable>();
  testing::FakeClock clock;
  HealthRegistry health{clock};
  Metrics metrics;
  const Tracer tracer{{}, nullptr};
  AssessedFrames assessed{8};
  RingIntake intake{config.pipeline, metrics.registry()};
  gallery::GalleryCache gallery;
  gallery::VisitorBook book{where(), config.visitors};
  storage::EventStore events{dir.path()};
  storage::StorageHealth storage_health{config.storage, health.add("storage"), metrics.registry()};
  storage::EventSpool spool{config.storage, events, storage_health, metrics.registry()};
  testing::RecordingSink sink;
  std::unique_ptr<RecognitionWorkers> workers;
  testing::FakeFaceEngine* engine_used = nullptr;
  std::uint64_t sequence = 0;
  std::size_t told = 0;
};

TEST_F(RecognitionWorkersTest, AnEnrolledFaceInThePreRollIsNamedStoredWithItsSnapshotAndTold) {
  start();
  show(kDana);
  const auto event = ring();
  EXPECT_EQ(event.kind, model::EventKind::known);
  EXPECT_EQ(event.names, std::vector<std::string>{"Dana"});
  ASSERT_GT(event.id, 0) << "stored";
  const auto stored = events.get(event.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->kind, model::EventKind::known);
  ASSERT_EQ(stored->faces.size(), 1u) << "one person across three frames";
  EXPECT_NEAR(stored->faces[0].distance, 0.05, 1e-6);
  EXPECT_TRUE(std::filesystem::exists(stored->snapshot_path)) << stored->snapshot_path;
  EXPECT_GE(engine_used->described.load(), 1);
  EXPECT_LE(engine_used->described.load(), config.pipeline.recognise_frames) << "only the best frames";
}

TEST_F(RecognitionWorkersTest, AStrangerIsOneVisitorAcrossRingsAndTheEnrolledOneIsNamedBesideThem) {
  start();
  show(kStranger);
  const auto first = ring();
  EXPECT_EQ(first.kind, model::EventKind::unknown);
  ASSERT_EQ(first.faces.size(), 1u);
  ASSERT_TRUE(first.faces[0].visitor);
  show(kDanaAndStranger);
  const auto second = ring();
  EXPECT_EQ(second.kind, model::EventKind::known);
  EXPECT_EQ(second.names, std::vector<std::string>{"Dana"});
  ASSERT_EQ(second.faces.size(), 2u);
  const auto stranger = std::find_if(second.faces.begin(), second.faces.end(),
                                     [](const auto& f) { return f.verdict == model::Verdict::unknown; });
  ASSERT_NE(stranger, second.faces.end());
  ASSERT_TRUE(stranger->visitor);
  EXPECT_EQ(stranger->visitor->visitor_id, first.faces[0].visitor->visitor_id) << "the same visitor again";
}

TEST_F(RecognitionWorkersTest, ADoorstepWithoutAUsableFaceIsNoFaceWithTheNewestFrameAsItsSnapshot) {
  start();
  show(kTinyFace);
  show(kEmptyDoorstep, 1);
  const auto event = ring();
  EXPECT_EQ(event.kind, model::EventKind::no_face);
  EXPECT_TRUE(event.faces.empty()) << "a face the gate refused is nobody";
  EXPECT_FALSE(event.snapshot_path.empty()) << "the doorstep as it was";
  EXPECT_EQ(engine_used->described.load(), 0) << "nothing worth describing";
}

TEST_F(RecognitionWorkersTest, ARingWithoutAFreshCameraFrameIsCameraUnavailable) {
  const capture::LiveFrame live(std::chrono::seconds(1));  // never shown a frame
  start(&live);
  const auto event = ring();
  EXPECT_EQ(event.kind, model::EventKind::camera_unavailable);
  EXPECT_TRUE(event.snapshot_path.empty());
  EXPECT_GT(event.id, 0) << "recorded all the same";
}

}  // namespace
}  // namespace doorbell::pipeline
