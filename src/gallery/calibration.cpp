#include "doorbell/gallery/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "doorbell/common/image_codec.hpp"
#include "doorbell/model/gallery_index.hpp"

namespace doorbell::gallery {
namespace {

DistanceStats stats(std::vector<double> d) {
  DistanceStats s;
  s.count = d.size();
  if (d.empty()) return s;
  std::sort(d.begin(), d.end());
  const auto at = [&](double q) {
    return d[static_cast<std::size_t>(q * static_cast<double>(d.size() - 1))];
  };
  s.min = d.front();
  s.max = d.back();
  s.mean = std::accumulate(d.begin(), d.end(), 0.0) / static_cast<double>(d.size());
  s.p05 = at(0.05);
  s.p95 = at(0.95);
  return s;
}

nlohmann::json stats_json(const DistanceStats& s) {
  return {{"pairs", s.count}, {"min", s.min}, {"mean", s.mean},
          {"max", s.max},     {"p05", s.p05}, {"p95", s.p95}};
}

}  // namespace

CalibrationReport calibrate(const std::map<std::string, std::vector<model::Descriptor>>& faces) {
  struct Entry {
    const std::string* person;
    const model::Descriptor* descriptor;
  };
  std::vector<Entry> all;
  for (const auto& [person, descriptors] : faces) {
    for (const auto& d : descriptors) all.push_back({&person, &d});
  }
  std::vector<double> same, different;
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      const double d = model::distance(*all[i].descriptor, *all[j].descriptor);
      (*all[i].person == *all[j].person ? same : different).push_back(d);
    }
  }
  CalibrationReport r;
  r.people = faces.size();
  r.faces = all.size();
  r.same = stats(same);
  r.different = stats(different);
  // Sweep thresholds; ties keep the first (lowest) threshold, the safer one against strangers.
  std::size_t best_errors = same.size() + different.size() + 1;
  for (double t = 0.20; t <= 1.0001; t += 0.005) {
    const auto rejects =
        static_cast<std::size_t>(std::count_if(same.begin(), same.end(), [&](double d) { return d > t; }));
    const auto accepts = static_cast<std::size_t>(
        std::count_if(different.begin(), different.end(), [&](double d) { return d <= t; }));
    if (rejects + accepts < best_errors) {
      best_errors = rejects + accepts;
      r.threshold = t;
      r.false_rejects = same.empty() ? 0 : static_cast<double>(rejects) / static_cast<double>(same.size());
      r.false_accepts =
          different.empty() ? 0 : static_cast<double>(accepts) / static_cast<double>(different.size());
    }
  }
  return r;
}

CalibrationReport calibrate(recognition::FaceEngine& engine, const std::filesystem::path& dir) {
  std::map<std::string, std::vector<model::Descriptor>> faces;
  std::vector<std::string> skipped;
  std::vector<std::filesystem::directory_entry> people(std::filesystem::directory_iterator(dir), {});
  std::sort(people.begin(), people.end());
  for (const auto& person : people) {
    if (!person.is_directory()) continue;
    std::vector<std::filesystem::directory_entry> images(std::filesystem::directory_iterator(person.path()),
                                                         {});
    std::sort(images.begin(), images.end());
    for (const auto& file : images) {
      try {
        const auto image = read_image_file(file.path());
        const auto found = engine.analyze(image.view());
        if (found.empty()) {
          skipped.push_back(file.path().string() + ": no face");
        } else if (!found.front().quality.ok()) {
          skipped.push_back(file.path().string() + ": " + found.front().quality.problem);
        } else {
          faces[person.path().filename().string()].push_back(found.front().descriptor);
        }
      } catch (const std::exception& e) {
        skipped.push_back(e.what());
      }
    }
  }
  auto report = calibrate(faces);
  report.skipped = std::move(skipped);
  return report;
}

std::string CalibrationReport::to_text() const {
  std::string out =
      fmt::format("{} people, {} faces used, {} images skipped\n", people, faces, skipped.size());
  for (const auto& s : skipped) out += fmt::format("  skipped {}\n", s);
  const auto row = [](const char* name, const DistanceStats& s) {
    return fmt::format("{:<10} {:>6} {:>6.3f} {:>6.3f} {:>6.3f} {:>6.3f} {:>6.3f}\n", name, s.count, s.min,
                       s.p05, s.mean, s.p95, s.max);
  };
  out += fmt::format("{:<10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}\n", "pairs", "count", "min", "p05", "mean",
                     "p95", "max");
  out += row("same", same);
  out += row("different", different);
  out += fmt::format(
      "best threshold {:.3f}: {:.1f}% of same-person pairs rejected, {:.1f}% of different-person pairs "
      "accepted\n"
      "(set recognition.match_threshold; the default is 0.6)\n",
      threshold, 100 * false_rejects, 100 * false_accepts);
  return out;
}

nlohmann::json CalibrationReport::to_json() const {
  return {{"people", people},
          {"faces", faces},
          {"skipped", skipped},
          {"same_person", stats_json(same)},
          {"different_people", stats_json(different)},
          {"threshold", threshold},
          {"false_reject_rate", false_rejects},
          {"false_accept_rate", false_accepts}};
}

}  // namespace doorbell::gallery
