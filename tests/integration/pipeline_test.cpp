// The whole ring flow in the real daemon: an image-folder camera, HTTP rings, recognition workers,
// events in SQLite with annotated snapshots; camera loss and recovery.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <opencv2/imgcodecs.hpp>

#include "support/doorstep.hpp"
#include "support/private_files.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class PipelineTest : public ::testing::Test {
 protected:
  // The camera sees a 640x480 doorstep with sample2's face.
  std::unique_ptr<RunningDaemon> start(const json& extra = json::object()) {
    auto config = doorstep_config(camera_dir);
    config.merge_patch(extra);
    auto daemon = std::make_unique<RunningDaemon>(config);
    EXPECT_TRUE(daemon->wait_for_status("/api/ready", 200)) << daemon->process().output();
    return daemon;
  }

  json ring_and_wait(RunningDaemon& daemon) { return testing::ring_and_wait(daemon, "t"); }

  // What the camera sees from its next frame on (replaced in one rename: never half a picture).
  void show(const cv::Mat& picture) const {
    const auto next = dir.path() / "next.jpg";
    cv::imwrite(next.string(), picture);
    std::filesystem::rename(next, camera_dir / "frame.jpg");
  }

  TempDir dir;
  std::filesystem::path camera_dir = dir.path() / "camera";
};

TEST_F(PipelineTest, EnrolledPersonInViewIsNamedWithASnapshot) {
  auto daemon = start();
  auto c = daemon->client();
  enroll(*daemon, "t", "Dana", 2);
  ASSERT_TRUE(wait_until_assessed(*daemon));

  const auto event = ring_and_wait(*daemon);
  EXPECT_EQ(event["kind"], "known");
  EXPECT_EQ(event["names"], json::array({"Dana"}));
  ASSERT_EQ(event["faces"].size(), 1u);
  EXPECT_LT(event["faces"][0]["distance"].get<double>(), 0.1);
  EXPECT_GE(event["faces"][0]["frames"], 1);
  EXPECT_LE(event["faces"][0]["frames"], 3) << "of the pre-roll's assessed frames, the best 3 (default) vote";
  EXPECT_GT(event["latency_seconds"].get<double>(), 0.0);
  EXPECT_LT(event["latency_seconds"].get<double>(), 10.0);

  const auto snapshot = c.Get(event["snapshot"].get<std::string>());
  ASSERT_EQ(snapshot->status, 200);
  EXPECT_EQ(snapshot->get_header_value("Content-Type"), "image/jpeg");
  const std::vector<std::uint8_t> bytes(snapshot->body.begin(), snapshot->body.end());
  EXPECT_FALSE(cv::imdecode(bytes, cv::IMREAD_COLOR).empty()) << "a decodable JPEG";
  const auto one = c.Get("/api/events/" + std::to_string(event["id"].get<int>()));
  EXPECT_EQ(json::parse(one->body)["kind"], "known");
  EXPECT_EQ(c.Get("/api/snapshot.jpg")->status, 200);
  EXPECT_THAT(open_to_others(daemon->data_dir()), ::testing::IsEmpty()) << "snapshots are private";
  const std::string counted = "doorbell_events_total{kind=\"known\"} 1";
  const auto metrics = daemon->wait_for_metrics(counted);  // counted once stored
  EXPECT_THAT(metrics, ::testing::HasSubstr(counted));
  EXPECT_THAT(metrics, ::testing::HasSubstr("doorbell_recognition_stage_seconds_count{stage=\"select\"} 1"));
  EXPECT_THAT(metrics,
              ::testing::HasSubstr("doorbell_recognition_stage_seconds_count{stage=\"descriptor\"} 1"))
      << "the faces of every frame that votes are described in one batch";
  // Marked as this machine's kernel holds its clock (in containers often unsynchronised).
  const bool synchronised = event["clock_synced"].get<bool>();
  EXPECT_THAT(metrics, ::testing::HasSubstr(synchronised ? "doorbell_clock_synchronised 1"
                                                         : "doorbell_clock_synchronised 0"));
}

// Nobody at the door when the button is pressed (a visitor reaching past the camera): the ring waits for
// the frames after it and names the visitor who then comes into view.
TEST_F(PipelineTest, ARingWithNobodyInThePreRollWaitsForTheVisitorAndNamesThem) {
  auto daemon = start({{"pipeline", {{"frames_after_ring", 100}, {"frame_wait_seconds", 20}}}});
  enroll(*daemon, "t", "Dana", 2);
  const auto doorstep = dir.path() / "doorstep.jpg";
  std::filesystem::copy_file(camera_dir / "frame.jpg", doorstep);
  show(cv::Mat(480, 640, CV_8UC3, cv::Scalar(90, 120, 150)));
  std::this_thread::sleep_for(2500ms);  // only the wall in the pre-roll (2 s)

  auto c = daemon->client();
  const auto before = json::parse(c.Get("/api/events")->body)["events"].size();
  ASSERT_EQ(c.Post("/api/ring", {{"Authorization", "Bearer t"}}, "", "text/plain")->status, 202);
  std::this_thread::sleep_for(300ms);  // the ring waits, looking at more wall
  show(cv::imread(doorstep.string()));
  ASSERT_TRUE(
      eventually([&] { return json::parse(c.Get("/api/events")->body)["events"].size() > before; }, 30s));
  const auto event = json::parse(c.Get("/api/events")->body)["events"][0];
  EXPECT_EQ(event["kind"], "known") << event.dump();
  EXPECT_EQ(event["names"], json::array({"Dana"}));
  EXPECT_GT(event["latency_seconds"].get<double>(), 0.3) << "decided on frames from after the ring";
}

TEST_F(PipelineTest, StrangerIsUnknownAndAnEmptyDoorstepHasNoFaces) {
  auto daemon = start();
  auto event = ring_and_wait(*daemon);
  EXPECT_EQ(event["kind"], "unknown");
  EXPECT_TRUE(event["names"].empty());

  show(cv::Mat(480, 640, CV_8UC3, cv::Scalar(90, 120, 150)));
  std::this_thread::sleep_for(2500ms);  // the camera replays the folder: only the wall in the pre-roll (2 s)
  event = ring_and_wait(*daemon);
  EXPECT_EQ(event["kind"], "no_face");
  EXPECT_TRUE(event["faces"].empty());
  EXPECT_FALSE(event["snapshot"].is_null()) << "a snapshot even of an empty doorstep";
}

TEST_F(PipelineTest, AFaceThatStaysWithoutRingingBecomesAPresenceEvent) {
  // A wide gap: under ThreadSanitizer on a loaded machine a frame's faces can take over the default 2 s to
  // find, and every such gap would start the visit again.
  auto daemon =
      start({{"presence", {{"enabled", true}, {"check_fps", 5}, {"dwell_seconds", 1}, {"gap_seconds", 20}}}});
  auto c = daemon->client();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  json events;
  while (std::chrono::steady_clock::now() < deadline) {
    events = json::parse(c.Get("/api/events")->body)["events"];
    if (!events.empty()) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(events.size(), 1u) << daemon->process().output();
  EXPECT_EQ(events[0]["source"], "presence");
  EXPECT_EQ(events[0]["kind"], "unknown") << "the visitor is recognised like any other";
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(json::parse(c.Get("/api/events")->body)["events"].size(), 1u) << "one event per visit";
  EXPECT_THAT(c.Get("/metrics")->body,
              ::testing::HasSubstr("doorbell_rings_total{outcome=\"accepted\",source=\"presence\"} 1"));
}

TEST_F(PipelineTest, RetentionKeepsSnapshotsWithinTheSizeLimit) {
  auto daemon = start({{"storage", {{"max_snapshot_megabytes", 0.00001}, {"prune_interval_seconds", 1}}}});
  const auto event = ring_and_wait(*daemon);
  // The pruner may already have run by the time the event is read, so the snapshot's existence is
  // proven by the retention counter rather than by catching it before it goes.
  auto c = daemon->client();
  const auto path = "/api/events/" + std::to_string(event["id"].get<int>());
  const std::string deleted = "doorbell_retention_deleted_total{item=\"snapshot\"} 1";
  EXPECT_THAT(daemon->wait_for_metrics(deleted), ::testing::HasSubstr(deleted))
      << "the ring's snapshot was written";
  EXPECT_TRUE(json::parse(c.Get(path)->body)["snapshot"].is_null()) << "a 10-byte limit keeps no snapshot";
  EXPECT_EQ(c.Get(path + "/snapshot.jpg")->status, 404);
  EXPECT_TRUE(std::filesystem::is_empty(daemon->data_dir() / "events"))
      << "the file and its day directory are gone";
}

TEST_F(PipelineTest, LiveStreamServesJpegPartsToALimitedNumberOfViewersAndEndsOnShutdown) {
  auto daemon = start({{"http", {{"stream_max_clients", 1}, {"stream_fps", 10}}}});
  std::mutex mutex;
  std::string received, content_type;
  std::atomic<bool> connected{false};
  std::jthread viewer([&] {
    daemon->client().Get(
        "/api/stream.mjpg",
        [&](const httplib::Response& res) {
          std::lock_guard lock(mutex);
          content_type = res.get_header_value("Content-Type");
          connected = true;
          return true;
        },
        [&](const char* data, std::size_t length) {
          std::lock_guard lock(mutex);
          received.append(data, length);
          return true;
        });
  });
  const auto jpeg_parts = [&] {
    std::lock_guard lock(mutex);
    std::size_t n = 0;
    for (auto at = received.find("\r\n\r\n\xFF\xD8"); at != std::string::npos;
         at = received.find("\r\n\r\n\xFF\xD8", at + 1)) {
      ++n;
    }
    return n;
  };
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (jpeg_parts() < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_GE(jpeg_parts(), 3u) << "the replayed camera's frames keep coming";
  ASSERT_TRUE(connected);
  EXPECT_EQ(content_type, "multipart/x-mixed-replace; boundary=doorbellframe");

  const auto second = daemon->client().Get("/api/stream.mjpg");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503) << "one viewer at a time";
  EXPECT_EQ(daemon->client().Get("/api/health")->status, 200) << "the API still answers";

  daemon->process().signal(SIGTERM);
  EXPECT_EQ(daemon->process().wait_exit(5s), 0) << "a watching viewer does not hold up shutdown";
}

// A ring during the outage is never answered from the last frame before it, however recent that looks.
TEST_F(PipelineTest, CameraLossMakesNotReadyAndRingsCameraUnavailableUntilItComesBack) {
  auto daemon = start();
  enroll(*daemon, "t", "Dana", 2);
  const auto moved = dir.path() / "camera-away";
  std::filesystem::rename(camera_dir, moved);
  ASSERT_TRUE(daemon->wait_for_status("/api/ready", 503, 10s)) << daemon->process().output();
  const auto ready = json::parse(daemon->client().Get("/api/ready")->body);
  EXPECT_NE(ready["components"]["camera"]["state"], "ready");
  EXPECT_TRUE(daemon->wait_for_status("/api/health", 200, 1s)) << "alive and serving meanwhile";

  std::this_thread::sleep_for(2500ms);  // the last frame is older than the pre-roll (2 s) now
  const auto during = ring_and_wait(*daemon);
  EXPECT_EQ(during["kind"], "camera_unavailable") << during.dump();
  EXPECT_TRUE(during["names"].empty()) << "never a stale name";
  EXPECT_TRUE(during["snapshot"].is_null());
  const auto live = daemon->client().Get("/api/snapshot.jpg");
  EXPECT_EQ(live->status, 503);
  EXPECT_THAT(live->body, ::testing::HasSubstr("the camera is unavailable"));

  std::filesystem::rename(moved, camera_dir);
  EXPECT_TRUE(daemon->wait_for_status("/api/ready", 200, 15s)) << daemon->process().output();
  EXPECT_EQ(ring_and_wait(*daemon)["kind"], "known") << "named again once frames come";
  EXPECT_THAT(daemon->client().Get("/metrics")->body,
              ::testing::Not(::testing::HasSubstr("doorbell_camera_reconnects_total 0")));
}

TEST_F(PipelineTest, RingStormIsFullyAccountedForAndHttpStillAnswers) {
  auto daemon = start(json{{"pipeline", {{"queue_capacity", 8}}}});
  auto c = daemon->client();
  int accepted = 0, refused = 0;
  const auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    const auto res = c.Post("/api/ring", {{"Authorization", "Bearer t"}}, "", "text/plain");
    ASSERT_TRUE(res);
    (res->status == 202 ? accepted : refused) += 1;
    EXPECT_TRUE(res->status == 202 || res->status == 503) << res->status;
  }
  const auto storm = std::chrono::steady_clock::now() - begin;
  EXPECT_LT(storm, 5s) << "rings are answered without waiting for recognition";
  EXPECT_EQ(accepted + refused, 200);
  EXPECT_GT(refused, 0) << "a queue of 8 cannot take 200 rings at once";
  EXPECT_EQ(c.Get("/api/health")->status, 200);
  const auto metrics = c.Get("/metrics")->body;
  EXPECT_THAT(metrics, ::testing::HasSubstr("doorbell_rings_total{outcome=\"accepted\",source=\"http\"} " +
                                            std::to_string(accepted)));
  EXPECT_THAT(metrics, ::testing::HasSubstr("doorbell_rings_total{outcome=\"refused\",source=\"http\"} " +
                                            std::to_string(refused)));
  EXPECT_THAT(daemon->process().output(), ::testing::HasSubstr("refused"));
}

}  // namespace
}  // namespace doorbell::testing
