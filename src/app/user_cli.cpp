#include "doorbell/app/user_cli.hpp"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <stdexcept>
#include <variant>

#include "doorbell/app/cli_audit.hpp"
#include "doorbell/app/data_dir_owner.hpp"
#include "doorbell/app/options.hpp"
#include "doorbell/auth/password.hpp"
#include "doorbell/auth/principal.hpp"
#include "doorbell/common/names.hpp"
#include "doorbell/storage/user_store.hpp"

namespace doorbell {
namespace {

int usage_error(const std::string& message) {
  fmt::print(stderr, "doorbelld user: {}\n{}", message, user_usage());
  return kExitUsage;
}

// One line from standard input; with a terminal, prompted and without echo.
std::optional<std::string> read_secret_line(const std::string& prompt) {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    fmt::print(stderr, "{}", prompt);
    std::fflush(stderr);
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    fmt::print(stderr, "\n");
  }
  if (!got) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The hash of a new password, asked twice on a terminal. Throws saying what is wrong with it.
std::string new_password_hash(const std::string& user) {
  const auto first = read_secret_line(fmt::format("New password for {}: ", user));
  if (!first) throw std::runtime_error("no password given on standard input");
  if (::isatty(STDIN_FILENO) == 1) {
    const auto again = read_secret_line("Again: ");
    if (!again || *again != *first) throw std::runtime_error("the two passwords differ");
  }
  return auth::hash_password(*first);
}

}  // namespace

std::string user_usage() {
  return "usage: doorbelld [--config FILE] user add NAME [--role admin|viewer]   (default role: admin)\n"
         "       doorbelld [--config FILE] user passwd NAME\n"
         "       doorbelld [--config FILE] user role NAME admin|viewer\n"
         "       doorbelld [--config FILE] user remove NAME\n"
         "       doorbelld [--config FILE] user list\n"
         "  Passwords (at least 8 characters) are asked on the terminal, or read as the first line of\n"
         "  standard input. Changing a password or role, or removing a user, ends their sessions.\n";
}

int run_user_command(const Config& config, const std::vector<std::string>& args) {
  if (args.empty()) return usage_error("missing command");
  const auto& command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  std::string role = "admin";
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == "--role") {
      if (command != "add" || i + 1 >= rest.size())
        return usage_error("--role goes with add and needs a role");
      role = rest[i + 1];
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i),
                 rest.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      break;
    }
  }
  try {
    const CliAudit audit(config);  // who ran it, before acting as the data directory's owner
    act_as_data_dir_owner(config.storage.data_dir, "user " + command + " ...");
    storage::UserStore users(config.storage.data_dir);
    if (command == "list") {
      if (!rest.empty()) return usage_error("list takes no arguments");
      for (const auto& u : users.list()) fmt::print("{}\t{}\t{}\n", u.name, u.role, u.created_at);
      return 0;
    }
    if (rest.empty()) return usage_error(fmt::format("{} needs a user name", command));
    const auto normalised = normalize_name(rest[0]);
    if (const auto* error = std::get_if<NameError>(&normalised)) return usage_error(error->message);
    const auto& name = std::get<std::string>(normalised);

    if (command == "add" || command == "passwd") {
      if (rest.size() != 1) return usage_error(fmt::format("{} takes one user name", command));
      if (!auth::parse_role(role)) return usage_error("the role is admin or viewer");
      if (command == "add" && users.find(name)) {
        fmt::print(stderr, "doorbelld user: \"{}\" already exists (change the password with: user passwd)\n",
                   name);
        return kExitFailure;
      }
      if (command == "passwd" && !users.find(name)) {
        fmt::print(stderr, "doorbelld user: no user \"{}\"\n", name);
        return kExitFailure;
      }
      const auto hash = new_password_hash(name);
      if (command == "add") {
        users.add(name, role, hash);
        audit.record("user.added", "user", "", name, role);
        fmt::print("added {} ({})\n", name, role);
      } else {
        users.set_password(name, hash);
        audit.record("user.password_changed", "user", "", name);
        fmt::print("changed the password of {}; their sessions have ended\n", name);
      }
      return 0;
    }
    if (command == "role") {
      if (rest.size() != 2 || !auth::parse_role(rest[1]))
        return usage_error("role takes a user name and admin|viewer");
      users.set_role(name, rest[1]);
      audit.record("user.role_changed", "user", "", name, rest[1]);
      fmt::print("{} is now {}; their sessions have ended\n", name, rest[1]);
      return 0;
    }
    if (command == "remove") {
      if (rest.size() != 1) return usage_error("remove takes one user name");
      if (!users.remove(name)) {
        fmt::print(stderr, "doorbelld user: no user \"{}\"\n", name);
        return kExitFailure;
      }
      audit.record("user.removed", "user", "", name);
      fmt::print("removed {} and their sessions\n", name);
      return 0;
    }
    return usage_error(fmt::format("unknown command \"{}\"", command));
  } catch (const std::exception& e) {
    fmt::print(stderr, "doorbelld user: {}\n", e.what());
    return kExitFailure;
  }
}

}  // namespace doorbell
