// The camera's state as the door page and GET /api/camera say it.
#include "doorbell/api/camera_routes.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace doorbell::api {
namespace {

using namespace std::chrono_literals;
using capture::CameraStatus;

const auto kNow = std::chrono::system_clock::time_point(1'800'000'000s);

TEST(CameraWords, SayWhatWasNegotiatedWhileDelivering) {
  CameraStatus status{CameraStatus::State::delivering, {"v4l2", "YUYV", 640, 480, 29.97}, {}, kNow, {}};
  EXPECT_EQ(camera_words(status, kNow), "Sending pictures (YUYV 640x480 at 30 fps).");
  status.source = {"folder", "images", 0, 0, 0};
  EXPECT_EQ(camera_words(status, kNow), "Sending pictures (images).");
}

TEST(CameraWords, SayHowLongAgoItStoppedHowOftenItIsTriedAndWhy) {
  CameraStatus status{
      CameraStatus::State::lost, {}, "cannot open camera device \"/dev/video0\"", kNow - 12s, 4s};
  EXPECT_EQ(camera_words(status, kNow),
            "The camera stopped sending pictures 12 s ago; trying again every 4 s (cannot open camera device "
            "\"/dev/video0\").");
  status.since = kNow - 3h;
  status.retry_every = 0.5s;
  EXPECT_EQ(camera_words(status, kNow),
            "The camera stopped sending pictures 3 h ago; trying again every 1 s (cannot open camera device "
            "\"/dev/video0\").");
  EXPECT_EQ(camera_words(CameraStatus{}, kNow), "Opening the camera.");
}

TEST(CameraStatusRoute, WithoutACameraSaysSo) {
  const auto response = camera_status(nullptr, CameraConfig{}, kNow);
  EXPECT_EQ(response.status, 200);
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["state"], "none");
  EXPECT_EQ(body["configured"], false);
}

}  // namespace
}  // namespace doorbell::api
