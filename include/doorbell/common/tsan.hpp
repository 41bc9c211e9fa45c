#pragma once
// ThreadSanitizer happens-before annotations for hand-offs that TSan cannot see: moodycamel's
// ConcurrentQueue synchronises with std::atomic_thread_fence, which TSan does not model. They order
// the payload of a queued item; races inside moodycamel are suppressed by tests/tsan.supp. No-ops
// in builds without TSan. Thread-safe.

#if defined(__SANITIZE_THREAD__)
#define DOORBELL_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DOORBELL_TSAN 1
#endif
#endif

#ifdef DOORBELL_TSAN
// Declared as moodycamel's atomicops.h declares them, so that both headers may be included.
extern "C" void AnnotateHappensBefore(const char* file, int line, void* addr);
extern "C" void AnnotateHappensAfter(const char* file, int line, void* addr);
#endif

namespace doorbell::tsan {

// Everything this thread did before release(addr) happens before what follows a later acquire(addr).
inline void release([[maybe_unused]] const void* addr) noexcept {
#ifdef DOORBELL_TSAN
  AnnotateHappensBefore(__FILE__, __LINE__, const_cast<void*>(addr));
#endif
}

inline void acquire([[maybe_unused]] const void* addr) noexcept {
#ifdef DOORBELL_TSAN
  AnnotateHappensAfter(__FILE__, __LINE__, const_cast<void*>(addr));
#endif
}

}  // namespace doorbell::tsan
