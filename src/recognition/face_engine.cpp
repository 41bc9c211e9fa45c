#include "doorbell/recognition/face_engine.hpp"

#include <dlib/image_processing.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <iterator>
#include <stdexcept>

#include "bgr_view.hpp"
#include "doorbell/recognition/face_detector.hpp"
#include "model_files.hpp"
#include "resnet.hpp"

namespace doorbell::recognition {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Variance of the Laplacian of the grey image: low for blurred faces.
double sharpness(const dlib::matrix<dlib::rgb_pixel>& chip) {
  const long rows = chip.nr(), cols = chip.nc();
  std::vector<float> grey(static_cast<std::size_t>(rows * cols));
  for (long r = 0; r < rows; ++r)
    for (long c = 0; c < cols; ++c) {
      const auto& p = chip(r, c);
      grey[static_cast<std::size_t>(r * cols + c)] = 0.299f * static_cast<float>(p.red) +
                                                     0.587f * static_cast<float>(p.green) +
                                                     0.114f * static_cast<float>(p.blue);
    }
  double sum = 0, sum_sq = 0;
  long n = 0;
  for (long r = 1; r + 1 < rows; ++r)
    for (long c = 1; c + 1 < cols; ++c) {
      const auto at = [&](long y, long x) { return grey[static_cast<std::size_t>(y * cols + x)]; };
      const double lap = 4.0 * at(r, c) - at(r - 1, c) - at(r + 1, c) - at(r, c - 1) - at(r, c + 1);
      sum += lap;
      sum_sq += lap * lap;
      ++n;
    }
  const double mean = sum / static_cast<double>(n);
  return sum_sq / static_cast<double>(n) - mean * mean;
}

Image to_image(const dlib::matrix<dlib::rgb_pixel>& chip) {
  Image image{static_cast<int>(chip.nc()), static_cast<int>(chip.nr()), {}};
  image.pixels.reserve(static_cast<std::size_t>(chip.size()) * 3);
  for (const auto& p : chip) image.pixels.insert(image.pixels.end(), {p.blue, p.green, p.red});
  return image;
}

// Where the nose sits between the eyes, along the line through them: 0.5 is frontal.
double yaw(const dlib::full_object_detection& shape) {
  dlib::dpoint left, right, nose;
  if (shape.num_parts() == 68) {
    left = shape.part(36);
    right = shape.part(45);
    nose = shape.part(30);
  } else {  // dlib's 5-point model: two corners of each eye, then the nose
    left = (dlib::dpoint(shape.part(0)) + dlib::dpoint(shape.part(1))) / 2;
    right = (dlib::dpoint(shape.part(2)) + dlib::dpoint(shape.part(3))) / 2;
    nose = shape.part(4);
  }
  const auto eyes = right - left;
  const double length_sq = eyes.length_squared();
  if (length_sq <= 0) return 1.0;
  const double t = (nose - left).dot(eyes) / length_sq;
  return std::min(1.0, std::abs(t - 0.5) * 2.0);
}

using Chip = dlib::matrix<dlib::rgb_pixel>;

// Chips per network pass. The network keeps each layer's output for the largest batch it has seen,
// ~4 MB a chip: 3 chips (a ring's usual three frames of one face) take 16 ms a chip and 16 MB; 15 would
// take 14 ms a chip and 64 MB for good (measured, one core).
constexpr std::size_t kMaxBatch = 3;

// Walks a list of chip pointers as if it held the chips: dlib's input layer reads `*it` and `it->`.
class ChipIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Chip;
  using difference_type = std::ptrdiff_t;
  using pointer = const Chip*;
  using reference = const Chip&;

  explicit ChipIterator(std::vector<const Chip*>::const_iterator at) : at_(at) {}
  reference operator*() const { return **at_; }
  pointer operator->() const { return *at_; }
  ChipIterator& operator++() {
    ++at_;
    return *this;
  }
  ChipIterator operator++(int) {
    auto before = *this;
    ++at_;
    return before;
  }
  bool operator==(const ChipIterator&) const = default;

 private:
  std::vector<const Chip*>::const_iterator at_;
};

// The landmark predictor (~0.7 s) read while the HOG detector (~0.45 s) is decoded, side by side: the
// first engine's start-up is the slower of the two, not their sum.
std::shared_ptr<const LandmarkModel> landmarks_beside_detector(const std::string& path) {
  auto detector = std::async(std::launch::async, [] { frontal_face_detector(); });
  auto predictor = shared_landmarks(path);
  detector.get();
  return predictor;
}

}  // namespace

// The aligned faces that passed the gate, and where each sits in Assessment::faces.
struct Assessment::Pending {
  std::vector<dlib::matrix<dlib::rgb_pixel>> chips;
  std::vector<std::size_t> faces;
};

struct FaceEngine::Impl {
  Impl(const RecognitionConfig& c, Stages stages)
      : config(c), predictor(landmarks_beside_detector(c.landmarks_model)), detector(c) {
    single_threaded_blas();
    if (stages == Stages::all) net = shared_net(config.resnet_model);
  }

  Assessment assess(const ImageView& frame, Chips keep) {
    timings = {};
    const BgrView image{frame};
    auto start = Clock::now();
    const auto boxes = detector.detect(frame);
    timings.detect_ms = ms_since(start);

    std::vector<dlib::full_object_detection> shapes;
    shapes.reserve(boxes.size());
    start = Clock::now();
    for (const auto& b : boxes) {
      shapes.push_back((*predictor)(image, dlib::rectangle(b.x, b.y, b.x + b.width - 1, b.y + b.height - 1)));
    }
    timings.landmarks_ms = ms_since(start);

    start = Clock::now();
    Assessment result;
    result.faces.resize(boxes.size());
    auto& pending = *result.pending_;
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      auto& face = result.faces[i];
      face.box = boxes[i];
      face.quality.width_px = static_cast<double>(boxes[i].width);
      face.quality.yaw = yaw(shapes[i]);
      dlib::matrix<dlib::rgb_pixel> chip;
      dlib::extract_image_chip(image, dlib::get_face_chip_details(shapes[i], kChipSize, kChipPadding), chip);
      face.quality.sharpness = sharpness(chip);
      if (keep == Chips::keep) face.chip = to_image(chip);
      face.quality.problem = gate(face.quality);
      if (face.quality.ok()) {
        pending.chips.push_back(std::move(chip));
        pending.faces.push_back(i);
      }
    }
    timings.chip_ms = ms_since(start);
    return result;
  }

  std::string gate(const model::Quality& q) const {
    if (q.width_px < config.min_face_px) {
      return fmt::format("too small ({:.0f} px wide, need {})", q.width_px, config.min_face_px);
    }
    if (q.sharpness < config.min_sharpness) {
      return fmt::format("too blurry (sharpness {:.0f}, need {:.0f})", q.sharpness, config.min_sharpness);
    }
    if (q.yaw > config.max_yaw)
      return fmt::format("not frontal (yaw {:.2f}, at most {:.2f})", q.yaw, config.max_yaw);
    return {};
  }

  // Network passes over the chips of every assessment, kMaxBatch chips each; the chips are read in place,
  // not copied.
  std::vector<std::vector<model::Face>> describe(std::span<const Assessment* const> assessments) {
    if (!net) throw std::logic_error("FaceEngine: made to assess only, it cannot describe");
    std::vector<const Chip*> chips;
    std::vector<std::vector<model::Face>> faces;
    faces.reserve(assessments.size());
    for (const auto* a : assessments) {
      faces.push_back(a->faces);
      for (const auto& chip : a->pending_->chips) chips.push_back(&chip);
    }
    timings.descriptor_ms = 0;
    if (!chips.empty()) {
      std::vector<dlib::matrix<float, 0, 1>> descriptors(chips.size());
      for (std::size_t first = 0; first < chips.size(); first += kMaxBatch) {
        const auto end = std::min(chips.size(), first + kMaxBatch);
        std::lock_guard lock(net->mutex);
        const auto start = Clock::now();  // the network's time, not the wait for it
        net->net(ChipIterator(chips.begin() + static_cast<std::ptrdiff_t>(first)),
                 ChipIterator(chips.begin() + static_cast<std::ptrdiff_t>(end)),
                 descriptors.begin() + static_cast<std::ptrdiff_t>(first));
        timings.descriptor_ms += ms_since(start);
      }
      std::size_t k = 0;
      for (std::size_t a = 0; a < assessments.size(); ++a) {
        for (const auto i : assessments[a]->pending_->faces) {
          std::copy(descriptors[k].begin(), descriptors[k].end(), faces[a][i].descriptor.begin());
          ++k;
        }
      }
    }
    return faces;
  }

  const RecognitionConfig config;
  std::shared_ptr<const LandmarkModel> predictor;  // one copy for every engine (model_files.hpp)
  FaceDetector detector;
  std::shared_ptr<SharedNet> net;  // one for every engine (model_files.hpp); none for one that only assesses
  StageTimings timings;
};

Assessment::Assessment() : pending_(std::make_unique<Pending>()) {}
Assessment::Assessment(Assessment&&) noexcept = default;
Assessment& Assessment::operator=(Assessment&&) noexcept = default;
Assessment::~Assessment() = default;

FaceEngine::FaceEngine(const RecognitionConfig& config, Stages stages)
    : impl_(std::make_unique<Impl>(config, stages)) {}
FaceEngine::~FaceEngine() = default;

Assessment FaceEngine::assess(const ImageView& frame, Chips chips) {
  return impl_->assess(frame, chips);
}
std::vector<model::Face> FaceEngine::describe(const Assessment& assessment) {
  const Assessment* one[] = {&assessment};
  return std::move(impl_->describe(one).front());
}
std::vector<std::vector<model::Face>> FaceEngine::describe(std::span<const Assessment* const> assessments) {
  return impl_->describe(assessments);
}
std::vector<model::Face> FaceEngine::analyze(const ImageView& frame, Chips chips) {
  return describe(assess(frame, chips));
}
const StageTimings& FaceEngine::last_timings() const noexcept {
  return impl_->timings;
}

}  // namespace doorbell::recognition
