// Idle doorstep benchmark (issue 32): the real doorbelld replaying, through an image-folder camera at
// 1280x720 and 10 fps, an empty doorstep — a fixed scene with sensor noise (30 frames, looped) — and the
// same doorstep with someone standing still in it (a portrait's face); each with motion first off (every
// frame looked at, as before) and on. Per run: the process's CPU in % of one core over 30 s after 15 s of
// warm-up (/proc/PID/stat), its RSS at the end, and the assessor's frames by result (/metrics). Prints a
// table and the on/off ratios. Usage: doorbell-bench-idle DOORBELLD MODELS_DIR PORTRAIT.jpg
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "support/free_port.hpp"
#include "support/process.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// A porch: wall, door, frame, mat and a lamp, in the camera's size.
cv::Mat porch() {
  cv::Mat scene(720, 1280, CV_8UC3, cv::Scalar(150, 160, 170));
  for (int y = 0; y < scene.rows; ++y) scene.row(y) -= cv::Scalar(y / 12.0, y / 12.0, y / 12.0);
  cv::rectangle(scene, cv::Rect(440, 90, 400, 630), cv::Scalar(40, 60, 95), cv::FILLED);  // the door
  cv::rectangle(scene, cv::Rect(430, 80, 420, 640), cv::Scalar(230, 230, 230), 10);       // its frame
  cv::rectangle(scene, cv::Rect(480, 140, 140, 220), cv::Scalar(30, 45, 80), 4);          // panels
  cv::rectangle(scene, cv::Rect(660, 140, 140, 220), cv::Scalar(30, 45, 80), 4);
  cv::circle(scene, cv::Point(800, 420), 12, cv::Scalar(60, 170, 200), cv::FILLED);       // the handle
  cv::rectangle(scene, cv::Rect(380, 660, 520, 60), cv::Scalar(50, 90, 60), cv::FILLED);  // the mat
  cv::circle(scene, cv::Point(1000, 200), 40, cv::Scalar(200, 240, 250), cv::FILLED);     // the lamp
  return scene;
}

// 30 frames of `scene` with sensor noise (sigma 4 grey levels) into `dir`.
void write_frames(const fs::path& dir, const cv::Mat& scene) {
  fs::create_directories(dir);
  cv::RNG rng(7);
  for (int i = 0; i < 30; ++i) {
    cv::Mat noise(scene.size(), CV_16SC3);
    rng.fill(noise, cv::RNG::NORMAL, 0, 4);
    cv::Mat frame;
    scene.convertTo(frame, CV_16SC3);
    frame += noise;
    frame.convertTo(frame, CV_8UC3);
    cv::imwrite((dir / fmt::format("{:03}.jpg", i)).string(), frame);
  }
}

struct Run {
  double cpu_percent;
  double camera_percent;    // the capture thread's share of it
  double assessor_percent;  // the face assessor's
  double rss_mb;
  std::string frames;  // the assessor's frames by result over the measured 30 s
};

// utime + stime of /proc/.../stat, in seconds.
double cpu_seconds(const fs::path& stat_file) {
  std::ifstream stat(stat_file);
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double cpu_seconds(pid_t pid) {
  return cpu_seconds(fmt::format("/proc/{}/stat", pid));
}

// CPU seconds of the process's threads by name (the daemon names its workers after their components).
std::map<std::string, double> thread_cpu(pid_t pid) {
  std::map<std::string, double> out;
  for (const auto& task : fs::directory_iterator(fmt::format("/proc/{}/task", pid))) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    out[name] += cpu_seconds(task.path() / "stat");
  }
  return out;
}

double rss_mb(pid_t pid) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) return std::stod(line.substr(6)) / 1024;
  }
  return 0;
}

// doorbell_assessor_frames_total by result, from /metrics.
std::map<std::string, double> assessor_frames(httplib::Client& client) {
  std::map<std::string, double> out;
  const auto res = client.Get("/metrics");
  if (!res) return out;
  std::istringstream lines(res->body);
  for (std::string line; std::getline(lines, line);) {
    const std::string prefix = "doorbell_assessor_frames_total{result=\"";
    if (!line.starts_with(prefix)) continue;
    const auto end = line.find('"', prefix.size());
    out[line.substr(prefix.size(), end - prefix.size())] = std::stod(line.substr(line.rfind(' ') + 1));
  }
  return out;
}

Run measure(const std::string& binary, const std::string& models, const fs::path& frames, bool motion_first) {
  const auto work = fs::temp_directory_path() / "doorbell-idle-bench";
  fs::remove_all(work);
  fs::create_directories(work);
  const int port = doorbell::testing::free_port();
  const nlohmann::json config{{"http", {{"port", port}, {"bind_address", "127.0.0.1"}, {"api_token", "t"}}},
                              {"storage", {{"data_dir", (work / "data").string()}}},
                              {"camera", {{"source", frames.string()}, {"fps", 10}}},
                              {"motion", {{"enabled", motion_first}}},
                              {"recognition",
                               {{"resnet_model", models + "/dlib_face_recognition_resnet_model_v1.dat"},
                                {"landmarks_model", models + "/shape_predictor_68_face_landmarks.dat"}}}};
  std::ofstream(work / "doorbelld.json") << config.dump(2);
  doorbell::testing::ChildProcess daemon({binary, "--config", (work / "doorbelld.json").string()}, {},
                                         work / "doorbelld.log");
  httplib::Client client("127.0.0.1", port);
  client.set_bearer_token_auth("t");
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (const auto res = client.Get("/api/ready"); res && res->status == 200) break;
    std::this_thread::sleep_for(200ms);
  }
  std::this_thread::sleep_for(15s);  // warm-up: motion first's hold, the allocator, the page cache
  const auto before = assessor_frames(client);
  const double cpu_before = cpu_seconds(daemon.pid());
  const auto threads_before = thread_cpu(daemon.pid());
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(30s);
  const double cpu = cpu_seconds(daemon.pid()) - cpu_before;
  auto threads = thread_cpu(daemon.pid());
  for (auto& [name, seconds_used] : threads)
    seconds_used -= threads_before.contains(name) ? threads_before.at(name) : 0;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string counts;
  for (const auto& [result, value] : assessor_frames(client)) {
    counts += fmt::format("{}{} {:.0f}", counts.empty() ? "" : ", ", result,
                          value - (before.contains(result) ? before.at(result) : 0));
  }
  Run run{100 * cpu / seconds, 100 * threads["camera"] / seconds, 100 * threads["face_assessor"] / seconds,
          rss_mb(daemon.pid()), counts};
  daemon.signal(SIGTERM);
  daemon.wait_exit(20s);
  fs::remove_all(work);
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    fmt::print(stderr, "usage: {} DOORBELLD MODELS_DIR PORTRAIT.jpg\n", argv[0]);
    return 2;
  }
  const cv::Mat portrait = cv::imread(argv[3]);
  if (portrait.empty()) {
    fmt::print(stderr, "cannot read {}\n", argv[3]);
    return 2;
  }
  const auto scenes = fs::temp_directory_path() / "doorbell-idle-scenes";
  fs::remove_all(scenes);
  const cv::Mat empty = porch();
  write_frames(scenes / "empty", empty);
  cv::Mat standing = empty.clone();  // someone at the door, in front of it, still
  cv::Mat visitor;
  const double scale = 720.0 / portrait.rows;  // faces of 100 px and more: over recognition.min_face_px
  cv::resize(portrait, visitor, cv::Size(), scale, scale, cv::INTER_AREA);
  visitor = visitor(cv::Rect(0, 0, std::min(visitor.cols, 1000), visitor.rows));
  visitor.copyTo(standing(cv::Rect(640 - visitor.cols / 2, 0, visitor.cols, visitor.rows)));
  write_frames(scenes / "standing", standing);

  fmt::print(
      "| 1280x720 at 10 fps | motion first | CPU, % of one core | of it: camera thread | face assessor | "
      "RSS, MB "
      "| assessor frames in 30 s |\n");
  fmt::print("|---|---|---|---|---|---|---|\n");
  for (const auto* scene : {"empty", "standing"}) {
    Run runs[2];
    for (const bool motion_first : {false, true}) {
      const auto run = measure(argv[1], argv[2], scenes / scene, motion_first);
      runs[motion_first ? 1 : 0] = run;
      fmt::print("| {} | {} | {:.1f} | {:.1f} | {:.1f} | {:.0f} | {} |\n",
                 std::string(scene) == "empty" ? "empty doorstep" : "someone standing still",
                 motion_first ? "on" : "off", run.cpu_percent, run.camera_percent, run.assessor_percent,
                 run.rss_mb, run.frames);
    }
    fmt::print("| {}: on / off | | {:.2f} | | | {:.2f} | |\n", scene,
               runs[1].cpu_percent / runs[0].cpu_percent, runs[1].rss_mb / runs[0].rss_mb);
  }
  fs::remove_all(scenes);
  return 0;
}
