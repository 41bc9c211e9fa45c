#include "doorbell/model/descriptor.hpp"

#include <cmath>

namespace doorbell::model {

float squared_distance(const float* a, const float* b) noexcept {
  constexpr int kLanes = 16;  // independent partial sums, so the compiler vectorises the loop
  float partial[kLanes] = {};
  for (int i = 0; i < kDescriptorSize; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) {
      const float d = a[i + j] - b[i + j];
      partial[j] += d * d;
    }
  }
  float sum = 0;
  for (const float p : partial) sum += p;
  return sum;
}

double distance(const Descriptor& a, const Descriptor& b) noexcept {
  return std::sqrt(static_cast<double>(squared_distance(a.data(), b.data())));
}

}  // namespace doorbell::model
