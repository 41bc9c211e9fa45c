#include "doorbell/storage/data_dir_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>
#include <system_error>

#include "doorbell/storage/database.hpp"

namespace doorbell::storage {

DataDirLock::DataDirLock(const std::filesystem::path& data_dir) {
  const auto file = data_dir / "doorbelld.lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd_ < 0)
    throw DatabaseError(
        fmt::format("cannot open \"{}\": {}", file.string(), std::generic_category().message(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    std::array<char, 32> pid{};
    const auto n = ::pread(fd_, pid.data(), pid.size() - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (error != EWOULDBLOCK) {
      throw DatabaseError(
          fmt::format("cannot lock \"{}\": {}", file.string(), std::generic_category().message(error)));
    }
    const std::string holder = n > 0 ? std::string(pid.data(), static_cast<std::size_t>(n)) : "?";
    throw DatabaseError(
        fmt::format("doorbelld (pid {}) is running on {}: stop it first (systemctl stop "
                    "doorbelld)",
                    holder, data_dir.string()));
  }
  const auto pid = std::to_string(::getpid());
  // The pid only makes a refusal clearer: the lock holds without it.
  [[maybe_unused]] const bool noted =
      ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, pid.data(), pid.size(), 0) > 0;
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace doorbell::storage
