#include "doorbell/common/bounded_queue.hpp"

namespace doorbell {

const char* to_string(OverflowPolicy policy) noexcept {
  switch (policy) {
    case OverflowPolicy::reject_newest:
      return "reject_newest";
    case OverflowPolicy::drop_oldest:
      return "drop_oldest";
  }
  return "unknown";
}

}  // namespace doorbell
