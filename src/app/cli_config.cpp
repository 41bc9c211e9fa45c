#include "doorbell/app/cli_config.hpp"

#include <fmt/format.h>

#include <system_error>

namespace doorbell {

CliConfigChoice choose_cli_config(const std::optional<std::filesystem::path>& given, const EnvLookup& env,
                                  const std::filesystem::path& installed) {
  CliConfigChoice choice;
  if (given) {
    choice.file = given;
    return choice;
  }
  std::error_code ec;
  if (std::filesystem::is_regular_file(installed, ec)) {
    choice.file = installed;
    choice.notice =
        fmt::format("using the installed configuration {} (--config FILE for another)", installed.string());
    return choice;
  }
  if (env("DOORBELL_STORAGE_DATA_DIR")) return choice;  // the data directory is named: defaults otherwise
  choice.refusal = fmt::format(
      "no configuration: pass --config FILE (e.g. --config config/demo.json), or set "
      "DOORBELL_STORAGE_DATA_DIR; {} does not exist, and the built-in default would use the data "
      "directory {}",
      installed.string(), StorageConfig{}.data_dir);
  return choice;
}

}  // namespace doorbell
