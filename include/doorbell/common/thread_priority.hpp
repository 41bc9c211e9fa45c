#pragma once
// Scheduling of the calling thread (Linux keeps a nice value per thread): background work — the face
// assessor watching the camera — yields the CPU to every thread at the process's own priority, so probes,
// the button, rings and notifications are served first on a busy machine. Thread-safe.

namespace doorbell {

// Lowers the calling thread's priority by `steps` nice levels below the process's (at most to 19);
// false when the system refused (then it runs as before).
bool lower_thread_priority(int steps = 10) noexcept;

}  // namespace doorbell
