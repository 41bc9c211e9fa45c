#pragma once
// What in a folder "others" (neither the owner nor the group) may read, write or enter: biometric data
// and snapshots must show none.

#include <filesystem>
#include <string>
#include <vector>

namespace doorbell::testing {

inline std::vector<std::string> open_to_others(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  const auto check = [&](const fs::path& p) {
    if ((fs::symlink_status(p).permissions() & fs::perms::others_all) != fs::perms::none)
      out.push_back(p.string());
  };
  check(dir);
  for (const auto& entry : fs::recursive_directory_iterator(dir)) check(entry.path());
  return out;
}

}  // namespace doorbell::testing
