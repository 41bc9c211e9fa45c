// Camera stream benchmark: a real RTSP server on loopback (tests/camera/rtsp_server.py) serves a picture
// at 10 fps, as H.264 and as MJPEG, at 640x480 and 1280x720, to the real capture thread (capture::Camera,
// FFmpeg through OpenCV). Per stream it prints the CPU of capture + decode per kept frame (the process's
// CPU time over 10 s of frames of PICTURE scaled to the size, nothing else working) and how old the newest
// frame is: the picture served is switched between black and white, and the time until the camera's newest
// frame shows the switch is timed (p50/p99 of 30 switches; it includes up to one frame period of the
// server's); then the server is killed and started again 3 s later, and the time from its return to the
// camera's first frame is the reconnect time. H.264 also over UDP, and over TCP with both cores kept busy
// by two spinning threads (the capture thread runs at nice 5, below them). Usage: doorbell-bench-camera
// RTSP_SERVER_PY PICTURE.jpg
#include <fcntl.h>
#include <fmt/format.h>
#include <prometheus/registry.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "doorbell/capture/camera.hpp"
#include "doorbell/capture/frame_source.hpp"
#include "doorbell/common/clock.hpp"
#include "doorbell/common/health.hpp"

extern char** environ;

namespace {

using namespace doorbell;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The served picture, replaced in one rename.
void serve(const std::filesystem::path& dir, const cv::Mat& picture) {
  cv::imwrite((dir / "next.jpg").string(), picture);
  std::filesystem::rename(dir / "next.jpg", dir / "000.jpg");
}
void serve(const std::filesystem::path& dir, int width, int height, int value) {
  serve(dir, cv::Mat(height, width, CV_8UC3, cv::Scalar(value, value, value)));
}

int brightness(const capture::LiveFrame& live) {
  const auto frame = live.latest();
  return frame && !frame->image.pixels.empty() ? frame->image.pixels[frame->image.pixels.size() / 2] : -1;
}

struct Result {
  double cpu_ms_per_frame;
  double age_p50_ms;
  double age_p99_ms;
  double reconnect_ms;
};

struct Stream {
  const char* codec;
  int width;
  int height;
  const char* transport;
  bool busy;  // both cores kept busy while it is measured
};

pid_t start_server(const std::string& server_py, const std::string& port, const std::filesystem::path& dir) {
  std::vector<std::string> argv{"/usr/bin/python3", server_py, port, dir.string(), "10"};
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t quiet;  // its "ready" and "transport:" lines are not the table's
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t server = 0;
  const int failed = posix_spawn(&server, args[0], &quiet, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&quiet);
  if (failed != 0) throw std::runtime_error("cannot start the RTSP server");
  return server;
}

void stop_server(pid_t server) {
  kill(server, SIGKILL);
  waitpid(server, nullptr, 0);
}

Result measure(const std::string& server_py, const cv::Mat& scene, const Stream& stream) {
  const int width = stream.width;
  const int height = stream.height;
  const auto dir = std::filesystem::temp_directory_path() / "doorbell-camera-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  cv::Mat sized;
  cv::resize(scene, sized, cv::Size(width, height));
  serve(dir, sized);
  const std::string port = "18554";
  pid_t server = start_server(server_py, port, dir);
  std::this_thread::sleep_for(2s);
  std::vector<std::jthread> load;
  for (int i = 0; stream.busy && i < 2; ++i) {
    load.emplace_back([](std::stop_token stop) {
      volatile std::uint64_t spin = 0;
      while (!stop.stop_requested()) spin = spin + 1;
    });
  }

  CameraConfig config;
  config.source = "rtsp://127.0.0.1:" + port + "/" + stream.codec;
  config.rtsp_transport = stream.transport;
  config.fps = 10;
  const SteadyClock clock;
  HealthRegistry health(clock);
  prometheus::Registry registry;
  capture::Camera camera(config, capture::make_frame_source(config), health.add("camera"), registry);
  camera.start();
  const auto deadline = Steady::now() + 20s;
  while (brightness(camera.live()) < 0 && Steady::now() < deadline) std::this_thread::sleep_for(10ms);

  std::uint64_t first = camera.live().latest() ? camera.live().latest()->sequence : 0;
  const double cpu_start = cpu_seconds();
  std::this_thread::sleep_for(10s);
  const double cpu = cpu_seconds() - cpu_start;
  const auto frames = camera.live().latest()->sequence - first;

  std::vector<double> ages;
  for (int i = 1; i <= 30; ++i) {
    const int value = i % 2 == 1 ? 255 : 0;
    serve(dir, width, height, value);
    const auto switched = Steady::now();
    while (std::abs(brightness(camera.live()) - value) > 60 && Steady::now() - switched < 5s)
      std::this_thread::sleep_for(1ms);
    ages.push_back(std::chrono::duration<double, std::milli>(Steady::now() - switched).count());
    std::this_thread::sleep_for(150ms);
  }

  stop_server(server);  // the camera reboots
  while (camera.status().state != capture::CameraStatus::State::lost) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(3s);
  server = start_server(server_py, port, dir);
  const auto returned = Steady::now();
  while (camera.status().state != capture::CameraStatus::State::delivering && Steady::now() - returned < 60s)
    std::this_thread::sleep_for(10ms);
  const double reconnect = std::chrono::duration<double, std::milli>(Steady::now() - returned).count();
  camera.stop();
  stop_server(server);
  std::filesystem::remove_all(dir);
  return {frames > 0 ? cpu * 1000 / static_cast<double>(frames) : 0, percentile(ages, 0.5),
          percentile(ages, 0.99), reconnect};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} RTSP_SERVER_PY PICTURE.jpg\n", argv[0]);
    return 2;
  }
  const cv::Mat scene = cv::imread(argv[2]);
  if (scene.empty()) {
    fmt::print(stderr, "cannot read {}\n", argv[2]);
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);
  fmt::print(
      "| stream (10 fps) | CPU per kept frame, ms | newest frame's age p50, ms | p99, ms | reconnect after "
      "the "
      "server returns, ms |\n|---|---|---|---|---|\n");
  // UDP last: OpenCV takes FFmpeg's transport from an environment variable the UDP source sets.
  for (const auto& stream :
       {Stream{"h264", 640, 480, "tcp", false}, Stream{"h264", 1280, 720, "tcp", false},
        Stream{"mjpeg", 640, 480, "tcp", false}, Stream{"mjpeg", 1280, 720, "tcp", false},
        Stream{"h264", 640, 480, "tcp", true}, Stream{"h264", 640, 480, "udp", false}}) {
    const auto r = measure(argv[1], scene, stream);
    // With the spinners in the process, its CPU time is theirs too: only the ages say something then.
    const auto cpu = stream.busy ? std::string("—") : fmt::format("{:.1f}", r.cpu_ms_per_frame);
    fmt::print("| {} {}x{} {}{} | {} | {:.0f} | {:.0f} | {:.0f} |\n", stream.codec, stream.width,
               stream.height, stream.transport, stream.busy ? ", both cores busy" : "", cpu, r.age_p50_ms,
               r.age_p99_ms, r.reconnect_ms);
  }
  return 0;
}
