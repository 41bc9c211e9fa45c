// The capture thread over a scripted live source: it drains the source between the frames it keeps,
// so the frame it keeps is never one that waited in a buffer.
#include "doorbell/capture/camera.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "doorbell/common/health.hpp"

namespace doorbell::capture {
namespace {

using namespace std::chrono_literals;

double counter_value(const prometheus::Registry& registry, const std::string& name) {
  for (const auto& family : registry.Collect()) {
    if (family.name == name && !family.metric.empty()) return family.metric.front().counter.value;
  }
  ADD_FAILURE() << "no counter " << name;
  return 0;
}

// A camera running at 50 fps whatever the reader does: each grab waits for its next frame. Its picture
// is 1x1, its blue byte the frame's number modulo 256. Thread-safe counters.
class LiveSource final : public FrameSource {
 public:
  void open() override {}
  bool live() const noexcept override { return true; }
  bool grab() override {
    next_ += 20ms;
    std::this_thread::sleep_until(next_);
    ++grabbed_;
    return true;
  }
  std::optional<Image> retrieve() override {
    ++decoded_;
    return Image{1, 1, {static_cast<std::uint8_t>(grabbed_.load() % 256), 0, 0}};
  }
  std::optional<Image> read() override { return grab() ? retrieve() : std::nullopt; }
  SourceInfo info() const override { return {"test", "BGR", 1, 1, 50}; }

  std::atomic<int> grabbed_{0};
  std::atomic<int> decoded_{0};

 private:
  std::chrono::steady_clock::time_point next_ = std::chrono::steady_clock::now();
};

TEST(Camera, ALiveSourceIsDrainedAndOnlyTheFramesKeptAreDecoded) {
  CameraConfig config;
  config.fps = 5;
  auto source = std::make_unique<LiveSource>();
  auto* live = source.get();
  SteadyClock clock;
  HealthRegistry health(clock);
  prometheus::Registry registry;
  Camera camera(config, std::move(source), health.add("camera"), registry);
  camera.start();
  std::this_thread::sleep_for(1100ms);
  camera.stop();

  const double kept = counter_value(registry, "doorbell_frames_captured_total");
  EXPECT_GE(kept, 5) << "5 per second kept";
  EXPECT_LE(kept, 7);
  EXPECT_LE(live->decoded_, 8) << "and only those decoded";
  EXPECT_GE(live->grabbed_, 45) << "every frame of the 50 fps source taken off it";
  const int newest = camera.live().latest()->image.pixels[0];
  EXPECT_GE(newest, live->grabbed_ - 10)
      << "the frame kept is the newest the source had, not one left waiting in a buffer";
}

}  // namespace
}  // namespace doorbell::capture
