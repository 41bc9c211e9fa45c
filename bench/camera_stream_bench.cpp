// Camera stream benchmark: a real RTSP server on loopback (tests/camera/rtsp_server.py) serves a picture
// at 10 fps, as H.264 and as MJPEG, at 640x480 and 1280x720, to the real capture thread (capture::Camera,
// FFmpeg through OpenCV). Per stream it prints the CPU of capture + decode per kept frame (the process's
// CPU time over 10 s of frames of PICTURE scaled to the size, nothing else working) and how old the newest
// frame is: the picture served is switched between black and white, and the time until the camera's newest
// frame shows the switch is timed (p50/p99 of 30 switches; it includes up to one frame period of the
// server's). Usage: doorbell-bench-camera RTSP_SERVER_PY PICTURE.jpg
#include <fmt/format.h>
#include <prometheus/registry.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/wait.h>

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
};

Result measure(const std::string& server_py, const cv::Mat& scene, const std::string& codec, int width,
               int height) {
  const auto dir = std::filesystem::temp_directory_path() / "doorbell-camera-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  cv::Mat sized;
  cv::resize(scene, sized, cv::Size(width, height));
  serve(dir, sized);
  const std::string port = "18554";
  std::vector<std::string> argv{"/usr/bin/python3", server_py, port, dir.string(), "10"};
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t server = 0;
  if (posix_spawn(&server, args[0], nullptr, nullptr, args.data(), environ) != 0)
    throw std::runtime_error("cannot start the RTSP server");
  std::this_thread::sleep_for(2s);

  CameraConfig config;
  config.source = "rtsp://127.0.0.1:" + port + "/" + codec;
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
  camera.stop();
  kill(server, SIGKILL);
  waitpid(server, nullptr, 0);
  std::filesystem::remove_all(dir);
  return {frames > 0 ? cpu * 1000 / static_cast<double>(frames) : 0, percentile(ages, 0.5),
          percentile(ages, 0.99)};
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
      "| stream (10 fps) | CPU per kept frame, ms | newest frame's age p50, ms | p99, ms "
      "|\n|---|---|---|---|\n");
  for (const auto* codec : {"h264", "mjpeg"}) {
    for (const auto& [w, h] : {std::pair{640, 480}, std::pair{1280, 720}}) {
      const auto r = measure(argv[1], scene, codec, w, h);
      fmt::print("| {} {}x{} | {:.1f} | {:.0f} | {:.0f} |\n", codec, w, h, r.cpu_ms_per_frame, r.age_p50_ms,
                 r.age_p99_ms);
    }
  }
  return 0;
}
