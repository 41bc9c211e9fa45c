#pragma once
// Scheduling of the calling thread (Linux keeps a nice value and a slice per thread): background work —
// the face assessor watching the camera — yields the CPU to every thread at the process's own priority,
// and the HTTP gate asks for short slices, so probes, the button, rings and notifications are served
// first on a busy machine. Thread-safe.

#include <chrono>

namespace doorbell {

// Lowers the calling thread's priority by `steps` nice levels below the process's (at most to 19);
// false when the system refused (then it runs as before).
bool lower_thread_priority(int steps = 10) noexcept;

// Asks the scheduler for short time slices for the calling thread, at its nice value: a thread that
// answers quickly and often (the HTTP gate) then preempts long computations at once instead of
// waiting for their slice to end (Linux 6.12+ EEVDF custom slices; older kernels accept and ignore
// it). The slice is clamped by the kernel to 0.1–100 ms. False when the system refused.
bool request_short_slice(std::chrono::microseconds slice = std::chrono::microseconds(100)) noexcept;

}  // namespace doorbell
