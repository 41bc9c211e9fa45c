// Recognition benchmark: per-stage milliseconds on 640x480 frames cut around the faces of real
// portraits, detection on 1280x720 frames at the scale recognition.min_face_px allows, and the cost of
// matching one descriptor against galleries of 10, 1,000 and 100,000
// samples, with its ratio to one descriptor's computation — all measured in this one run.
// Usage: doorbell-bench-recognition MODELS_DIR PORTRAIT.jpg... (scripts/bench.sh passes them)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include "doorbell/common/image_codec.hpp"
#include "doorbell/model/gallery_index.hpp"
#include "doorbell/recognition/face_detector.hpp"
#include "doorbell/recognition/face_engine.hpp"

namespace {

using namespace doorbell;
using Clock = std::chrono::steady_clock;

// A width x height window of the portrait centred on its largest face (clamped to the picture).
Image frame_around(const Image& portrait, const model::Box& face, int width = 640, int height = 480) {
  const int x0 = std::clamp(face.x + face.width / 2 - width / 2, 0, std::max(0, portrait.width - width));
  const int y0 = std::clamp(face.y + face.height / 2 - height / 2, 0, std::max(0, portrait.height - height));
  const auto row_bytes = static_cast<std::size_t>(width) * 3;
  Image out{width, height, std::vector<std::uint8_t>(row_bytes * static_cast<std::size_t>(height))};
  for (int y = 0; y < height; ++y) {
    const auto row = static_cast<std::size_t>(y0 + y) * static_cast<std::size_t>(portrait.width);
    const auto* src = portrait.pixels.data() + (row + static_cast<std::size_t>(x0)) * 3;
    std::copy(src, src + row_bytes, out.pixels.data() + static_cast<std::size_t>(y) * row_bytes);
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} MODELS_DIR PORTRAIT.jpg...\n", argv[0]);
    return 2;
  }
  RecognitionConfig config;
  config.resnet_model = std::string(argv[1]) + "/dlib_face_recognition_resnet_model_v1.dat";
  config.landmarks_model = std::string(argv[1]) + "/shape_predictor_68_face_landmarks.dat";
  recognition::FaceEngine engine(config);

  std::vector<Image> frames, hd_frames;
  for (int i = 2; i < argc; ++i) {
    const auto portrait = read_image_file(argv[i]);
    const auto faces = engine.analyze(portrait.view());
    if (faces.empty()) continue;
    frames.push_back(frame_around(portrait, faces.front().box));
    if (portrait.width >= 1280 && portrait.height >= 720)
      hd_frames.push_back(frame_around(portrait, faces.front().box, 1280, 720));
  }
  constexpr int kRounds = 5;
  std::vector<double> detect, landmarks, chip, descriptor, per_face_descriptor;
  std::size_t faces_described = 0;
  model::Descriptor probe{};
  for (int round = 0; round < kRounds; ++round) {
    for (const auto& frame : frames) {
      const auto faces = engine.analyze(frame.view());
      const auto& t = engine.last_timings();
      const auto described = static_cast<std::size_t>(
          std::count_if(faces.begin(), faces.end(), [](const auto& f) { return f.quality.ok(); }));
      detect.push_back(t.detect_ms);
      landmarks.push_back(t.landmarks_ms);
      chip.push_back(t.chip_ms);
      descriptor.push_back(t.descriptor_ms);
      if (described > 0) {
        per_face_descriptor.push_back(t.descriptor_ms / static_cast<double>(described));
        probe = faces.front().descriptor;
      }
      faces_described += described;
    }
  }

  std::mt19937 rng(42);
  std::normal_distribution<float> noise(0.0f, 0.09f);  // spreads like real descriptors (norm ~1)
  fmt::print("| stage (640x480, {} frames x {} rounds, {} faces described) | median ms per frame |\n",
             frames.size(), kRounds, faces_described);
  fmt::print("|---|---|\n");
  fmt::print(
      "| detect (HOG) | {:.2f} |\n| landmarks (68 points) | {:.2f} |\n| chip + quality gate | {:.2f} |\n",
      median(detect), median(landmarks), median(chip));
  fmt::print("| descriptor (ResNet) | {:.2f} |\n", median(descriptor));
  const double one_descriptor = median(per_face_descriptor);
  fmt::print("\none descriptor: {:.2f} ms\n\n", one_descriptor);

  fmt::print(
      "| detect on 1280x720 ({} frames x {} rounds) | median ms | ratio to min_face_px 80 |\n|---|---|---|\n",
      hd_frames.size(), kRounds);
  double full_scale = 0;
  for (const int min_face_px : {80, 160, 240}) {
    auto scaled = config;
    scaled.min_face_px = min_face_px;
    recognition::FaceDetector detector(scaled);
    std::vector<double> ms;
    for (int round = 0; round < kRounds; ++round) {
      for (const auto& frame : hd_frames) {
        const auto start = Clock::now();
        const auto found = detector.detect(frame.view());
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        if (found.size() > 1000) return 1;  // keeps the call from being optimised away
      }
    }
    if (min_face_px == 80) full_scale = median(ms);
    fmt::print("| min_face_px {} | {:.2f} | {:.2f} |\n", min_face_px, median(ms), median(ms) / full_scale);
  }
  fmt::print("\n");

  fmt::print("| gallery samples | match ms | match / one descriptor |\n|---|---|---|\n");
  for (const std::size_t samples : {10u, 1000u, 100000u}) {
    model::GalleryIndex gallery;
    constexpr std::size_t kPerPerson = 5;
    for (std::size_t p = 0; p < samples / kPerPerson; ++p) {
      std::vector<model::Descriptor> person(kPerPerson);
      for (auto& d : person)
        for (auto& v : d) v = noise(rng);
      gallery.add({static_cast<std::int64_t>(p), fmt::format("p{}", p), model::PersonKind::known}, person);
    }
    const int repeats = samples >= 100000 ? 20 : 2000;
    double sink = 0;
    const auto start = Clock::now();
    for (int r = 0; r < repeats; ++r) sink += gallery.match(probe, {}).distance;
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count() / repeats;
    fmt::print("| {} | {:.4f} | {:.3f} |\n", samples, ms, ms / one_descriptor);
    if (sink < 0) return 1;  // keeps the loop from being optimised away
  }
  return 0;
}
