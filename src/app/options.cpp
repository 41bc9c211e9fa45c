#include "doorbell/app/options.hpp"

#include <stdexcept>

namespace doorbell {

Options parse_options(const std::vector<std::string>& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--config" || arg == "-c") {
      if (i + 1 >= args.size()) throw std::invalid_argument(arg + " needs a file path");
      options.config_file = args[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      options.config_file = arg.substr(std::string("--config=").size());
    } else if (arg == "--check-config") {
      options.action = Action::check_config;
    } else if (arg == "--print-config") {
      options.action = Action::print_config;
    } else if (arg == "--version") {
      options.action = Action::version;
    } else if (arg == "--help" || arg == "-h") {
      options.action = Action::help;
    } else if (arg == "faces" || arg == "healthcheck" || arg == "user") {
      options.action = arg == "faces" ? Action::faces : arg == "user" ? Action::user : Action::healthcheck;
      options.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    } else if (arg == "db" || arg == "backup" || arg == "restore") {
      options.action = Action::database;
      options.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    } else {
      throw std::invalid_argument("unknown option \"" + arg + "\"");
    }
  }
  return options;
}

std::string usage() {
  return "usage: doorbelld [--config FILE] [--check-config | --print-config | --version | --help]\n"
         "       doorbelld [--config FILE] faces COMMAND ...   (manage and test the face gallery)\n"
         "       doorbelld [--config FILE] user COMMAND ...    (logins for the web app: add, passwd, role, "
         "remove, list)\n"
         "       doorbelld [--config FILE] db check | backup FILE | restore FILE   (the database)\n"
         "       doorbelld [--config FILE] healthcheck [--ready]   (ask a running daemon: exit 0 healthy, 1 "
         "not)\n"
         "  --config FILE    JSON configuration (comments allowed); DOORBELL_<SECTION>_<KEY> variables "
         "override it\n"
         "  --check-config   validate the configuration, print OK or each problem, and exit (2 on problems)\n"
         "  --print-config   print the effective configuration with secrets masked, and exit\n"
         "  --version        print version and commit, and exit\n"
         "signals: SIGTERM/SIGINT stop gracefully; SIGHUP reloads log.level, log.format and the TLS "
         "certificate\n";
}

}  // namespace doorbell
