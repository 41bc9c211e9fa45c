#include "doorbell/pipeline/face_assessor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "doorbell/observability/metrics.hpp"
#include "fakes/fake_clock.hpp"
#include "fakes/fake_face_engine.hpp"

namespace doorbell::pipeline {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

constexpr std::uint8_t kFaceScene = 7;
constexpr std::uint8_t kEmptyScene = 50;  // no face in the table

// What the camera shows: a face filling the picture, an empty doorstep, the same in brighter light, or a
// visitor (a face, which the fake engine keys on the first byte) standing in its top-left quarter.
enum class Doorstep { face, empty, brighter, visitor };

Image paint(Doorstep scene) {
  const std::uint8_t level = scene == Doorstep::face       ? kFaceScene
                             : scene == Doorstep::brighter ? std::uint8_t{120}
                                                           : kEmptyScene;
  Image image{64, 48, std::vector<std::uint8_t>(64 * 48 * 3, level)};
  if (scene == Doorstep::visitor) {
    for (int y = 0; y < 24; ++y) std::fill_n(image.pixels.begin() + y * 64 * 3, 32 * 3, kFaceScene);
  }
  return image;
}

// The face assessor with a table for its engine, fed by a thread that plays the camera (a frame every
// 10 ms, painted with the scene of the moment).
class FaceAssessorTest : public ::testing::Test {
 protected:
  void start(double assess_fps, Doorstep scene = Doorstep::face, bool motion_first = true) {
    scene_ = scene;
    Config config;
    config.pipeline.assess_fps = assess_fps;
    config.camera.fps = 100;
    config.motion.enabled = motion_first;
    config.motion.hold_seconds = Seconds(0.5);
    auto table = std::make_shared<testing::FaceTable>();
    (*table)[kFaceScene] = {testing::table_face(model::Descriptor{})};
    auto engine = std::make_unique<testing::FakeFaceEngine>(table);
    engine_ = engine.get();
    assessor_ = std::make_unique<FaceAssessor>(config, health_.add("face_assessor"), metrics_.registry(),
                                               std::move(engine));
    assessor_->start();
    camera_ = std::jthread([this](std::stop_token stop) {
      for (std::uint64_t sequence = 1; !stop.stop_requested(); ++sequence) {
        auto frame = std::make_shared<capture::Frame>();
        frame->image = paint(scene_.load());
        frame->sequence = sequence;
        frame->captured = Steady::now();
        assessor_->queue().offer(std::move(frame));
        std::this_thread::sleep_for(10ms);  // the camera's frame period
      }
    });
  }
  void TearDown() override {
    camera_ = {};
    if (assessor_) assessor_->stop();
  }

  // Waits until the assessor has looked at no frame for `quiet`; false if it still looks after 5 s.
  bool settles(std::chrono::milliseconds quiet) {
    const auto deadline = Steady::now() + 5s;
    while (Steady::now() < deadline) {
      const int before = engine_->assessed.load();
      std::this_thread::sleep_for(quiet);
      if (engine_->assessed.load() == before) return true;
    }
    return false;
  }
  int assessed_within(std::chrono::milliseconds time) {
    const int before = engine_->assessed.load();
    std::this_thread::sleep_for(time);
    return engine_->assessed.load() - before;
  }

  std::atomic<Doorstep> scene_{Doorstep::face};
  testing::FakeClock clock_;
  HealthRegistry health_{clock_};
  Metrics metrics_;
  testing::FakeFaceEngine* engine_ = nullptr;
  std::unique_ptr<FaceAssessor> assessor_;
  std::jthread camera_;
};

TEST_F(FaceAssessorTest, KeepsEachFramesFacesAndScoreAndPassesOverFramesWhileItRests) {
  start(20);  // a frame every 50 ms at most: of the camera's 100 a second, most are passed over
  const auto deadline = Steady::now() + 5s;
  while (engine_->assessed.load() < 5 && Steady::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_GE(engine_->assessed.load(), 5);
  const auto latest = assessor_->assessed().latest();
  ASSERT_TRUE(latest);
  ASSERT_EQ(latest->assessment->faces.size(), 1u) << "the table's face for the scene";
  EXPECT_GT(latest->score, 0) << "a face that passed the gate scores";
  EXPECT_EQ(engine_->described.load(), 0) << "descriptors are the ring's, not the assessor's";
  EXPECT_THAT(metrics_.render(),
              ::testing::ContainsRegex(R"(doorbell_assessor_frames_total\{result="skipped"\} [1-9])"));
}

TEST_F(FaceAssessorTest, ARingWaitingForFramesCutsItsRestShort) {
  start(0.1);  // one frame every 10 s while nobody waits
  const auto deadline = Steady::now() + 5s;
  while (engine_->assessed.load() < 1 && Steady::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(engine_->assessed.load(), 1);
  const auto ring = Steady::now();
  const auto after = assessor_->assessed().wait_after({}, ring, 0, ring + 5s);
  EXPECT_FALSE(after.empty()) << "a frame from after the ring, without waiting out the rest";
  EXPECT_LT(Steady::now() - ring, 3s);
}

TEST_F(FaceAssessorTest, AnEmptyDoorstepIsNotLookedAtOnceTheHoldIsOver) {
  start(20, Doorstep::empty);
  ASSERT_GT(assessed_within(300ms), 0) << "the first seconds are looked at";
  ASSERT_TRUE(settles(1s)) << "idle once nothing moved for motion.hold_seconds";
  EXPECT_EQ(assessed_within(1500ms), 0);
  EXPECT_THAT(metrics_.render(),
              ::testing::ContainsRegex(R"(doorbell_assessor_frames_total\{result="idle"\} [1-9])"));
  EXPECT_THAT(metrics_.render(), ::testing::HasSubstr("doorbell_motion_active 0"));
}

TEST_F(FaceAssessorTest, SomeoneComingIsLookedAtAtOnceAndKeptWhileTheirFaceIsThere) {
  start(20, Doorstep::empty);
  ASSERT_TRUE(settles(1s));
  scene_ = Doorstep::visitor;
  const auto came = Steady::now();
  while (engine_->assessed.load() == 0 || assessor_->assessed().latest()->frame->captured < came) {
    ASSERT_LT(Steady::now() - came, 2s) << "not looked at after the visitor came";
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_LT(Steady::now() - came, 1s) << "from the first frames";
  EXPECT_EQ(assessor_->assessed().latest()->assessment->faces.size(), 1u);
  std::this_thread::sleep_for(1s);  // standing still, long past the hold: the face keeps it looking
  EXPECT_GT(assessed_within(500ms), 3);
  EXPECT_THAT(metrics_.render(), ::testing::HasSubstr("doorbell_motion_active 1"));
}

TEST_F(FaceAssessorTest, ALightingChangeAloneWakesItForAFewFramesAtMost) {
  start(20, Doorstep::empty);
  ASSERT_TRUE(settles(1s));
  scene_ = Doorstep::brighter;  // a cloud passes, the porch light comes on
  EXPECT_LE(assessed_within(1500ms), 3);
}

TEST_F(FaceAssessorTest, ARingIsAnsweredFromTheNewestFramesWhileItIsIdle) {
  start(20, Doorstep::empty);
  ASSERT_TRUE(settles(1s));
  const auto ring = Steady::now();
  const auto after = assessor_->assessed().wait_after({}, ring, 0, ring + 5s);
  EXPECT_FALSE(after.empty()) << "a frame from after the ring";
  EXPECT_LT(Steady::now() - ring, 1s);
}

TEST_F(FaceAssessorTest, WithoutMotionFirstEveryFrameIsLookedAt) {
  start(20, Doorstep::empty, false);
  std::this_thread::sleep_for(1s);
  EXPECT_GT(assessed_within(1s), 10) << "at pipeline.assess_fps, moving or not";
}

}  // namespace
}  // namespace doorbell::pipeline
