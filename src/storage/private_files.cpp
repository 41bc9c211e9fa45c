#include "doorbell/storage/private_files.hpp"

namespace doorbell::storage {
namespace {

namespace fs = std::filesystem;

bool tighten(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (ec || fs::is_symlink(status) || (status.permissions() & fs::perms::others_all) == fs::perms::none)
    return false;
  fs::permissions(path, fs::perms::others_all, fs::perm_options::remove, ec);
  return !ec;
}

}  // namespace

std::size_t make_private(const fs::path& data_dir) {
  fs::create_directories(data_dir);
  std::size_t tightened = tighten(data_dir) ? 1 : 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(data_dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (tighten(it->path())) ++tightened;
  }
  return tightened;
}

}  // namespace doorbell::storage
