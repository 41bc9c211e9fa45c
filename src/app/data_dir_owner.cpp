#include "doorbell/app/data_dir_owner.hpp"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace doorbell {

void act_as_data_dir_owner(const std::filesystem::path& data_dir, const std::string& command) {
  struct stat st {};
  if (::geteuid() != 0 || ::stat(data_dir.c_str(), &st) != 0 || st.st_uid == 0) return;
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* user = nullptr;
  ::getpwuid_r(st.st_uid, &entry, buffer.data(), buffer.size(), &user);
  const std::string name = user != nullptr ? user->pw_name : std::to_string(st.st_uid);
  const gid_t group = user != nullptr ? user->pw_gid : st.st_gid;
  const bool switched =
      (user != nullptr ? ::initgroups(user->pw_name, group) : ::setgroups(0, nullptr)) == 0 &&
      ::setgid(group) == 0 && ::setuid(st.st_uid) == 0;
  if (!switched) {
    throw std::runtime_error(fmt::format(
        "{} belongs to {}, and becoming that user failed ({}): run `sudo -u {} doorbelld {}` instead",
        data_dir.string(), name, std::generic_category().message(errno), name, command));
  }
  fmt::print(stderr, "doorbelld: acting as {}, the owner of {}\n", name, data_dir.string());
}

}  // namespace doorbell
