#pragma once
// Version and git commit of this build, generated at build time. Thread-safe.

namespace doorbell {

const char* build_version() noexcept;
const char* build_commit() noexcept;

}  // namespace doorbell
