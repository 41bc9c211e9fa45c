#include "doorbell/gallery/gallery_index.hpp"

#include <cmath>

namespace doorbell::gallery {
namespace {

// Squared distance with independent partial sums, so the compiler vectorises it without -ffast-math.
float squared_distance(const float* a, const float* b) noexcept {
  constexpr int kLanes = 16;
  float partial[kLanes] = {};
  for (int i = 0; i < recognition::kDescriptorSize; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) {
      const float d = a[i + j] - b[i + j];
      partial[j] += d * d;
    }
  }
  float sum = 0;
  for (const float p : partial) sum += p;
  return sum;
}

}  // namespace

const char* to_string(PersonKind kind) noexcept {
  return kind == PersonKind::known ? "known" : "blacklist";
}

const char* to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::known:
      return "known";
    case Verdict::blacklisted:
      return "blacklisted";
    case Verdict::unknown:
      return "unknown";
  }
  return "unknown";
}

double distance(const recognition::Descriptor& a, const recognition::Descriptor& b) noexcept {
  return std::sqrt(static_cast<double>(squared_distance(a.data(), b.data())));
}

void GalleryIndex::add(Person person, std::span<const recognition::Descriptor> samples,
                       std::span<const recognition::Descriptor> negatives) {
  if (first_sample_.empty()) {
    first_sample_.push_back(0);
    first_negative_.push_back(0);
  }
  people_.push_back(std::move(person));
  for (const auto& d : samples) values_.insert(values_.end(), d.begin(), d.end());
  first_sample_.push_back(values_.size() / recognition::kDescriptorSize);
  for (const auto& d : negatives) negative_values_.insert(negative_values_.end(), d.begin(), d.end());
  first_negative_.push_back(negative_values_.size() / recognition::kDescriptorSize);
}

Match GalleryIndex::match(const recognition::Descriptor& probe, const MatchPolicy& policy) const noexcept {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  float best = kInf, second = kInf;
  std::size_t best_person = people_.size();
  for (std::size_t p = 0; p < people_.size(); ++p) {
    float nearest = kInf;
    for (std::size_t s = first_sample_[p]; s < first_sample_[p + 1]; ++s) {
      nearest = std::min(nearest,
                         squared_distance(probe.data(), values_.data() + s * recognition::kDescriptorSize));
    }
    bool vetoed = false;  // as near to a face that is not this person as to any that is: the correction wins
    for (std::size_t n = first_negative_[p]; n < first_negative_[p + 1] && !vetoed; ++n) {
      vetoed = squared_distance(probe.data(), negative_values_.data() + n * recognition::kDescriptorSize) <=
               nearest;
    }
    if (vetoed) continue;
    if (nearest < best) {
      second = best;
      best = nearest;
      best_person = p;
    } else if (nearest < second) {
      second = nearest;
    }
  }
  Match m;
  if (best_person == people_.size()) return m;
  m.person = &people_[best_person];
  m.distance = std::sqrt(static_cast<double>(best));
  m.second_distance = std::sqrt(static_cast<double>(second));
  if (m.distance > policy.threshold) return m;
  if (m.second_distance - m.distance < policy.margin) {
    m.ambiguous = true;
    return m;
  }
  m.verdict = m.person->kind == PersonKind::blacklist ? Verdict::blacklisted : Verdict::known;
  return m;
}

}  // namespace doorbell::gallery
