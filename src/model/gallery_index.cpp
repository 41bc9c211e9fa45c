#include "doorbell/model/gallery_index.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace doorbell::model {
namespace {

constexpr auto kFloats = static_cast<std::size_t>(kDescriptorSize);

// The descriptors of one person in a flat list of them, 128 floats each.
std::span<const float> rows_of(const std::vector<float>& values, const std::vector<std::size_t>& first,
                               std::size_t person) {
  return std::span<const float>(values).subspan(first[person] * kFloats,
                                                (first[person + 1] - first[person]) * kFloats);
}

}  // namespace

void GalleryIndex::add(Person person, std::span<const Descriptor> samples,
                       std::span<const Descriptor> negatives) {
  start_lists();
  people_.push_back(std::move(person));
  for (const auto& d : samples) values_.insert(values_.end(), d.begin(), d.end());
  first_sample_.push_back(values_.size() / kDescriptorSize);
  for (const auto& d : negatives) negative_values_.insert(negative_values_.end(), d.begin(), d.end());
  first_negative_.push_back(negative_values_.size() / kDescriptorSize);
}

GalleryIndex GalleryIndex::with_people(std::span<const std::int64_t> changed, const GalleryIndex& now) const {
  const std::unordered_set<std::int64_t> replaced(changed.begin(), changed.end());
  GalleryIndex out;
  out.people_.reserve(people_.size() + now.people_.size());
  out.values_.reserve(values_.size() + now.values_.size());
  std::size_t kept = 0;
  std::size_t fresh = 0;
  while (kept < people_.size() || fresh < now.people_.size()) {
    if (kept == people_.size() || (fresh < now.people_.size() && now.people_[fresh].id <= people_[kept].id)) {
      if (kept < people_.size() && people_[kept].id == now.people_[fresh].id) ++kept;
      out.copy_person(now, fresh++);
    } else if (!replaced.contains(people_[kept].id)) {
      out.copy_person(*this, kept++);
    } else {
      ++kept;  // removed
    }
  }
  return out;
}

void GalleryIndex::start_lists() {
  if (!first_sample_.empty()) return;
  first_sample_.push_back(0);
  first_negative_.push_back(0);
}

std::span<const float> GalleryIndex::samples_of(std::size_t person) const noexcept {
  return rows_of(values_, first_sample_, person);
}

std::span<const float> GalleryIndex::negatives_of(std::size_t person) const noexcept {
  return rows_of(negative_values_, first_negative_, person);
}

void GalleryIndex::copy_person(const GalleryIndex& from, std::size_t person) {
  start_lists();
  people_.push_back(from.people_[person]);
  const auto samples = from.samples_of(person);
  values_.insert(values_.end(), samples.begin(), samples.end());
  first_sample_.push_back(values_.size() / kFloats);
  const auto negatives = from.negatives_of(person);
  negative_values_.insert(negative_values_.end(), negatives.begin(), negatives.end());
  first_negative_.push_back(negative_values_.size() / kFloats);
}

Match GalleryIndex::match(const Descriptor& probe, const MatchPolicy& policy) const noexcept {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  float best = kInf, second = kInf;
  std::size_t best_person = people_.size();
  for (std::size_t p = 0; p < people_.size(); ++p) {
    float nearest = kInf;
    for (std::size_t s = first_sample_[p]; s < first_sample_[p + 1]; ++s) {
      nearest = std::min(nearest, squared_distance(probe.data(), values_.data() + s * kDescriptorSize));
    }
    bool vetoed = false;  // as near to a face that is not this person as to any that is: the correction wins
    for (std::size_t n = first_negative_[p]; n < first_negative_[p + 1] && !vetoed; ++n) {
      vetoed = squared_distance(probe.data(), negative_values_.data() + n * kDescriptorSize) <= nearest;
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

}  // namespace doorbell::model
