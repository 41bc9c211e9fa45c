// Ring latency benchmark: the real capture thread replays 640x480 frames cut around the portraits'
// faces to the real face assessor, HTTP-less rings go through the RingIntake to a recognition worker,
// and the ring → stored decision latency (p50/p95/p99) is printed next to the one-frame floor — the pure
// compute of finding, aligning and describing the faces of one frame, measured in this run — with their
// ratio. Usage: doorbell-bench-ring MODELS_DIR PORTRAIT.jpg...
#include <fmt/format.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "doorbell/capture/camera.hpp"
#include "doorbell/common/image_codec.hpp"
#include "doorbell/gallery/gallery_cache.hpp"
#include "doorbell/pipeline/face_assessor.hpp"
#include "doorbell/pipeline/recognition_workers.hpp"
#include "doorbell/recognition/face_engine.hpp"

namespace {

using namespace doorbell;

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} MODELS_DIR PORTRAIT.jpg...\n", argv[0]);
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);  // the table only
  const auto work = std::filesystem::temp_directory_path() / "doorbell-ring-bench";
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work / "camera");

  Config config;
  config.recognition.resnet_model = std::string(argv[1]) + "/dlib_face_recognition_resnet_model_v1.dat";
  config.recognition.landmarks_model = std::string(argv[1]) + "/shape_predictor_68_face_landmarks.dat";
  config.storage.data_dir = (work / "data").string();
  config.camera.source = (work / "camera").string();
  config.camera.fps = 10;
  config.pipeline.workers = 1;
  config.pipeline.hold_off_seconds = Seconds(0);

  // 640x480 frames centred on each portrait's largest face.
  recognition::FaceEngine engine(config.recognition);
  std::vector<Image> frames;
  for (int i = 2; i < argc; ++i) {
    const auto portrait = read_image_file(argv[i]);
    const auto faces = engine.analyze(portrait.view());
    if (faces.empty()) continue;
    const cv::Mat mat(portrait.height, portrait.width, CV_8UC3,
                      const_cast<std::uint8_t*>(portrait.pixels.data()));
    const auto& b = faces.front().box;
    const cv::Rect crop(std::clamp(b.x + b.width / 2 - 320, 0, std::max(0, portrait.width - 640)),
                        std::clamp(b.y + b.height / 2 - 240, 0, std::max(0, portrait.height - 480)), 640,
                        480);
    cv::imwrite((work / "camera" / fmt::format("{:02}.png", i)).string(),
                mat(crop & cv::Rect(0, 0, mat.cols, mat.rows)));
    frames.push_back(read_image_file(work / "camera" / fmt::format("{:02}.png", i)));
  }

  // The one-frame floor: finding, aligning and describing the faces of one frame.
  std::vector<double> compute;
  for (std::size_t round = 0; round < 20; ++round) {
    const auto start = std::chrono::steady_clock::now();
    engine.analyze(frames[round % frames.size()].view());
    compute.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }

  prometheus::Registry registry;
  const SteadyClock clock;
  HealthRegistry health(clock);
  storage::EventStore events(config.storage.data_dir);
  storage::StorageHealth storage(config.storage, health.add("storage"), registry);
  storage::EventSpool spool(config.storage, events, storage, registry);
  pipeline::RingIntake intake(config.pipeline, registry);
  capture::Camera camera(config.camera, capture::make_frame_source(config.camera), health.add("camera"),
                         registry);
  pipeline::FaceAssessor assessor(config, health.add("face_assessor"), registry);
  camera.feed(&assessor.queue());
  gallery::GalleryCache gallery;
  gallery::VisitorBook visitors(config.storage.data_dir, config.visitors);
  std::mutex mutex;
  std::condition_variable done;
  std::vector<double> latencies;
  const Tracer tracer({}, nullptr);  // spans are not part of what is measured
  pipeline::RecognitionWorkers workers(
      config, &camera.live(), &assessor.assessed(), intake, gallery, visitors, events, spool, storage, health,
      registry, tracer, [](const model::Event&) { return std::vector<storage::NewDelivery>{}; },
      [&](const model::Event& e) {
        std::lock_guard lock(mutex);
        latencies.push_back(e.latency_seconds * 1000);
        done.notify_one();
      });
  assessor.start();
  camera.start();
  workers.start();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a pre-roll to draw on
  constexpr std::size_t kRings = 20;
  for (std::size_t r = 0; r < kRings; ++r) {
    intake.ring("bench");
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return latencies.size() > r; });
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(130));  // rings fall anywhere between frames
  }
  workers.stop();
  camera.stop();
  assessor.stop();

  const double floor = percentile(compute, 0.5);
  fmt::print(
      "| ring -> stored decision ({} rings, camera at {} fps, faces assessed at up to {} fps) | ms |\n"
      "|---|---|\n",
      kRings, config.camera.fps, config.pipeline.assess_fps);
  fmt::print("| p50 | {:.0f} |\n| p95 | {:.0f} |\n| p99 | {:.0f} |\n", percentile(latencies, 0.5),
             percentile(latencies, 0.95), percentile(latencies, 0.99));
  fmt::print("| one-frame floor: faces found, aligned and described in one frame (p50) | {:.0f} |\n", floor);
  fmt::print("\nratio to the floor: p50 {:.2f}, p99 {:.2f}\n", percentile(latencies, 0.5) / floor,
             percentile(latencies, 0.99) / floor);
  std::filesystem::remove_all(work);
  return 0;
}
