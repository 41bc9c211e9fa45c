#pragma once
// The ring flow from a test's side: a doorstep picture for an image-folder camera, enrolling a person
// and ringing through the real daemon's HTTP API. Not thread-safe.

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "support/daemon.hpp"

namespace doorbell::testing {

// A 640x480 doorstep showing sample2's face (small, so sanitizer builds stay quick), as camera_dir/frame.jpg.
inline void write_doorstep(const std::filesystem::path& camera_dir) {
  std::filesystem::create_directories(camera_dir);
  const cv::Mat picture = cv::imread(portrait(2).string());
  cv::imwrite((camera_dir / "frame.jpg").string(), picture(cv::Rect(1218, 64, 640, 480)));
}

// A daemon whose image-folder camera at `camera_dir` sees the doorstep (10 fps), with one recognition
// worker, no hold-off between rings and the admin token "t".
inline nlohmann::json doorstep_config(const std::filesystem::path& camera_dir) {
  write_doorstep(camera_dir);
  return {{"http", {{"api_token", "t"}}},
          {"camera", {{"source", camera_dir.string()}, {"fps", 10}, {"reconnect_max_seconds", 1}}},
          {"pipeline", {{"hold_off_seconds", 0}, {"workers", 1}}}};
}

// Waits until the face assessor has looked at a frame of the doorstep: a ring then has a pre-roll. (A
// door with a door.id labels its series with it too: the line is found by its name and result.)
inline bool wait_until_assessed(const RunningDaemon& daemon) {
  const std::string name = "\ndoorbell_assessor_frames_total{";
  const std::string result = "result=\"assessed\"} ";
  return eventually(
      [&] {
        const auto res = daemon.client().Get("/metrics");
        if (!res) return false;
        for (auto line = res->body.find(name); line != std::string::npos;
             line = res->body.find(name, line + 1)) {
          const auto end = res->body.find('\n', line + 1);
          const auto at = res->body.find(result, line);
          if (at < end) return std::stod(res->body.substr(at + result.size())) >= 1;
        }
        return false;
      },
      std::chrono::seconds(20), std::chrono::milliseconds(50));
}

// Enrolls `name` from portrait `n` through POST /api/people and /api/people/{id}/faces.
inline void enroll(const RunningDaemon& daemon, const std::string& token, const std::string& name, int n) {
  auto c = daemon.client();
  const httplib::Headers auth{{"Authorization", "Bearer " + token}};
  const auto person = nlohmann::json::parse(
      c.Post("/api/people", auth, nlohmann::json{{"name", name}}.dump(), "application/json")->body);
  std::ifstream in(portrait(n), std::ios::binary);
  const std::string jpeg{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto added =
      c.Post("/api/people/" + std::to_string(person["id"].get<int>()) + "/faces", auth, jpeg, "image/jpeg");
  ASSERT_TRUE(added) << "no answer to the enrollment: " << httplib::to_string(added.error());
  ASSERT_EQ(added->status, 201) << added->body;
}

// Rings, then waits (at most 60 s) for the event to be stored and returns it.
inline nlohmann::json ring_and_wait(RunningDaemon& daemon, const std::string& token) {
  using namespace std::chrono_literals;
  auto c = daemon.client();
  const auto before = nlohmann::json::parse(c.Get("/api/events")->body)["events"].size();
  auto res = c.Post("/api/ring", {{"Authorization", "Bearer " + token}}, "", "text/plain");
  EXPECT_EQ(res->status, 202) << res->body;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto events = nlohmann::json::parse(c.Get("/api/events")->body)["events"];
    if (events.size() > before) return events[0];
    std::this_thread::sleep_for(50ms);
  }
  ADD_FAILURE() << "no event within 60 s: " << daemon.process().output();
  return {};
}

}  // namespace doorbell::testing
