#pragma once
// SmallDisk: a tmpfs of a few megabytes mounted for one test (needs CAP_SYS_ADMIN; mounted() says
// whether it worked and error() why not), which the test can fill up; unmounted on destruction.
// Not thread-safe.

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace doorbell::testing {

class SmallDisk {
 public:
  SmallDisk(std::filesystem::path path, int megabytes)
      : path_(std::move(path)), options_("size=" + std::to_string(megabytes) + "m,mode=0755") {
    std::filesystem::create_directories(path_);
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, options_.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  const std::filesystem::path& path() const { return path_; }

  // Writes a filler file until the disk is full.
  void fill() const {
    std::ofstream filler(path_ / "filler", std::ios::binary);
    const std::string block(64 * 1024, 'f');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) filler.flush();
  }
  void free_space() const { std::filesystem::remove(path_ / "filler"); }

 private:
  std::filesystem::path path_;
  std::string options_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace doorbell::testing
