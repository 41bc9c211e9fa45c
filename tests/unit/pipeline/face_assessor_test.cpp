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

// The face assessor with a table for its engine, fed by a thread that plays the camera (a frame every
// 10 ms, painted with a scene showing a face).
class FaceAssessorTest : public ::testing::Test {
 protected:
  void start(double assess_fps) {
    Config config;
    config.pipeline.assess_fps = assess_fps;
    config.camera.fps = 100;
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
        frame->image = {64, 48, std::vector<std::uint8_t>(64 * 48 * 3, kFaceScene)};
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

}  // namespace
}  // namespace doorbell::pipeline
