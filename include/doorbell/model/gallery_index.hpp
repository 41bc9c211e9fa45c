#pragma once
// GalleryIndex: every enrolled descriptor in one contiguous float array, grouped by person, for
// nearest-neighbour matching without allocation; and each person's negatives (faces someone said are not
// them): a probe as near to one of a person's negatives as to their nearest sample, or nearer, is never
// that person (the correction, made later, wins a tie). Immutable once built: thread-safe for concurrent
// matching; rebuild and swap it when the gallery changes.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "doorbell/model/descriptor.hpp"
#include "doorbell/model/face_outcome.hpp"
#include "doorbell/model/person.hpp"

namespace doorbell::model {

// What matching one face against the gallery found.
struct Match {
  Verdict verdict = Verdict::unknown;
  const Person* person = nullptr;  // the nearest person (set even when unknown, if any), owned by the index
  double distance = std::numeric_limits<double>::infinity();         // to the nearest person's closest sample
  double second_distance = std::numeric_limits<double>::infinity();  // to the next person's closest sample
  bool ambiguous = false;  // within the threshold, but too close to a second person to say who
};

struct MatchPolicy {
  double threshold = 0.6;
  double margin = 0.04;
};

class GalleryIndex {
 public:
  GalleryIndex() = default;

  // Adds a person with their samples and negatives; persons are matched in the order added.
  void add(Person person, std::span<const Descriptor> samples, std::span<const Descriptor> negatives = {});
  // This index with the people whose ids are `changed` as `now` has them (a person `now` lacks was
  // removed), everyone in the order of their ids — what loading the whole gallery again would give, for
  // the cost of copying the rest. Both indexes must hold their people in the order of their ids.
  GalleryIndex with_people(std::span<const std::int64_t> changed, const GalleryIndex& now) const;

  Match match(const Descriptor& probe, const MatchPolicy& policy) const noexcept;

  std::size_t people() const noexcept { return people_.size(); }
  std::size_t samples() const noexcept { return values_.size() / kDescriptorSize; }
  std::size_t negatives() const noexcept { return negative_values_.size() / kDescriptorSize; }
  const std::vector<Person>& persons() const noexcept { return people_; }
  // The descriptors of person number `person` (in the order added), 128 floats each.
  std::span<const float> samples_of(std::size_t person) const noexcept;
  std::span<const float> negatives_of(std::size_t person) const noexcept;

 private:
  void start_lists();
  void copy_person(const GalleryIndex& from, std::size_t person);
  std::vector<Person> people_;
  std::vector<std::size_t> first_sample_;    // per person, then one past the last sample
  std::vector<float> values_;                // samples x 128, person by person
  std::vector<std::size_t> first_negative_;  // the same for negatives
  std::vector<float> negative_values_;
};

}  // namespace doorbell::model
