#include "doorbell/storage/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>
#include <system_error>

namespace doorbell::storage {
namespace {

[[noreturn]] void fail(int error, const std::string& what, const std::filesystem::path& file) {
  throw std::system_error(error, std::generic_category(), what + " \"" + file.string() + "\"");
}

// Closes the descriptor and, unless released, removes the temporary file.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& final_name)
      : path_((final_name.parent_path() / ("." + final_name.filename().string() + ".XXXXXX")).string()) {
    fd_ = ::mkstemp(path_.data());
    if (fd_ < 0) fail(errno, "cannot create a file next to", final_name);
    ::fchmod(fd_, 0640);  // as any file the daemon creates under its umask (027); mkstemp makes 0600
  }
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!released_) ::unlink(path_.c_str());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  int fd() const noexcept { return fd_; }
  const std::string& path() const noexcept { return path_; }
  // Closes the file, reporting what close() says (NFS and some filesystems report write errors there).
  int close() noexcept {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }
  void release() noexcept { released_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool released_ = false;
};

void write_all(int fd, std::span<const std::uint8_t> bytes, const std::filesystem::path& file) {
  while (!bytes.empty()) {
    const auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(errno, "cannot write", file);
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
}

void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the rename happened; only its durability across a power cut is not forced
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::filesystem::path& file, std::span<const std::uint8_t> bytes) {
  write_file_atomically(file, std::span(&bytes, 1));
}

void write_file_atomically(const std::filesystem::path& file,
                           std::span<const std::span<const std::uint8_t>> pieces) {
  std::error_code error;
  std::filesystem::create_directories(file.parent_path(), error);
  if (error) fail(error.value(), "cannot create the folder of", file);
  TemporaryFile temporary(file);
  for (const auto piece : pieces) write_all(temporary.fd(), piece, file);
  if (::fsync(temporary.fd()) != 0) fail(errno, "cannot flush", file);
  if (temporary.close() != 0) fail(errno, "cannot close", file);
  if (::rename(temporary.path().c_str(), file.c_str()) != 0) fail(errno, "cannot rename into", file);
  temporary.release();
  sync_folder(file.parent_path());
}

std::optional<std::vector<std::uint8_t>> read_whole_file(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) return std::nullopt;
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  const auto size = in ? static_cast<std::streamoff>(in.tellg()) : -1;
  if (size < 0 || !in.seekg(0)) return std::nullopt;
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) return std::nullopt;
  return bytes;
}

}  // namespace doorbell::storage
