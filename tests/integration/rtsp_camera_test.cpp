// An IP camera's stream, from a real RTSP server on loopback (GStreamer's gst-rtsp-server,
// tests/camera/rtsp_server.py) serving the doorstep as H.264 and as MJPEG at 10 fps: the daemon becomes
// ready on it and names the face at the door; a server that dies, or stalls without closing, makes it not
// ready and rings camera_unavailable — never a stale name — until the stream is back, without a restart.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "support/daemon.hpp"
#include "support/doorstep.hpp"
#include "support/free_port.hpp"
#include "support/poll.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

struct Stream {
  const char* path;       // the server's path: its codec
  const char* transport;  // camera.rtsp_transport
};

void PrintTo(const Stream& stream, std::ostream* os) {
  *os << stream.path << " over " << stream.transport;
}

class RtspCameraTest : public ::testing::TestWithParam<Stream> {
 protected:
  RtspCameraTest() {
    write_doorstep(frames_dir);
    std::filesystem::rename(frames_dir / "frame.jpg", frames_dir / "000.jpg");  // the server's %03d.jpg
  }

  void start_server() {
    server.reset();
    server = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/bin/python3",
                                 std::string(DOORBELL_SOURCE_DIR) + "/tests/camera/rtsp_server.py",
                                 std::to_string(port), frames_dir.string(), "10"},
        std::vector<std::string>{}, dir.path() / "rtsp_server.log");
    ASSERT_TRUE(eventually([&] { return server->output().find("ready") != std::string::npos; }, 10s))
        << "the RTSP server did not start (scripts/setup.sh installs gir1.2-gst-rtsp-server-1.0): "
        << server->output();
  }

  std::unique_ptr<RunningDaemon> start_daemon() {
    auto config = doorstep_config(dir.path() / "unused");
    config["camera"]["source"] = "rtsp://127.0.0.1:" + std::to_string(port) + GetParam().path;
    config["camera"]["rtsp_transport"] = GetParam().transport;
    auto daemon = std::make_unique<RunningDaemon>(config);
    EXPECT_TRUE(daemon->wait_for_status("/api/ready", 200)) << daemon->process().output();
    enroll(*daemon, "t", "Dana", 2);
    EXPECT_TRUE(wait_until_assessed(*daemon));
    return daemon;
  }

  // Not ready naming the camera, and a ring then (once the last frame is older than the pre-roll) is
  // camera_unavailable.
  static void expect_camera_out(RunningDaemon& daemon) {
    ASSERT_TRUE(daemon.wait_for_status("/api/ready", 503, 20s)) << daemon.process().output();
    const auto ready = json::parse(daemon.client().Get("/api/ready")->body);
    EXPECT_NE(ready["components"]["camera"]["state"], "ready") << ready.dump();
    const auto camera = json::parse(daemon.client().Get("/api/camera")->body);
    EXPECT_EQ(camera["state"], "lost") << camera.dump();
    EXPECT_THAT(
        camera["words"].get<std::string>(),
        ::testing::MatchesRegex("The camera stopped sending pictures [0-9]+ s ago; trying again every "
                                "[0-9]+ s \\(.+\\)\\."));
    std::this_thread::sleep_for(2500ms);  // the pre-roll's freshness (2 s) has passed for the last frame
    const auto during = ring_and_wait(daemon, "t");
    EXPECT_EQ(during["kind"], "camera_unavailable") << during.dump();
    EXPECT_TRUE(during["names"].empty()) << "never a stale name";
  }

  TempDir dir;
  std::filesystem::path frames_dir = dir.path() / "frames";
  int port = free_port();
  std::unique_ptr<ChildProcess> server;
};

TEST_P(RtspCameraTest, TheFaceAtTheDoorIsNamedAndAServerThatDiesOrStallsIsAnOutageUntilItIsBack) {
  start_server();
  auto daemon = start_daemon();
  EXPECT_EQ(ring_and_wait(*daemon, "t")["names"], json::array({"Dana"}));
  const auto camera = json::parse(daemon->client().Get("/api/camera")->body);  // what was negotiated
  EXPECT_EQ(camera["state"], "delivering") << camera.dump();
  EXPECT_EQ(camera["negotiated"]["kind"], "stream");
  EXPECT_EQ(camera["negotiated"]["format"], GetParam().path == std::string("/h264") ? "H.264" : "MJPEG")
      << camera.dump();
  EXPECT_THAT(
      server->output(),
      ::testing::HasSubstr(GetParam().transport == std::string("udp") ? "RTP/AVP/UDP" : "RTP/AVP/TCP"))
      << "the transport the server was asked for";
  EXPECT_EQ(camera["negotiated"]["width"], 640);
  EXPECT_EQ(camera["negotiated"]["fps"], 10);

  server->signal(SIGKILL);  // the camera reboots
  server->wait_exit(5s);
  expect_camera_out(*daemon);
  start_server();
  ASSERT_TRUE(daemon->wait_for_status("/api/ready", 200, 30s)) << daemon->process().output();
  ASSERT_TRUE(eventually([&] { return !ring_and_wait(*daemon, "t")["names"].empty(); }, 20s))
      << "named again once frames come";

  server->signal(SIGSTOP);  // the camera hangs: the connection stays open, no frame comes
  expect_camera_out(*daemon);
  server->signal(SIGCONT);
  EXPECT_TRUE(daemon->wait_for_status("/api/ready", 200, 40s)) << daemon->process().output();
}

INSTANTIATE_TEST_SUITE_P(Streams, RtspCameraTest,
                         ::testing::Values(Stream{"/h264", "tcp"}, Stream{"/mjpeg", "tcp"},
                                           Stream{"/h264", "udp"}),
                         [](const ::testing::TestParamInfo<Stream>& stream) {
                           return std::string(stream.param.path + 1) + "_" + stream.param.transport;
                         });

}  // namespace
}  // namespace doorbell::testing
