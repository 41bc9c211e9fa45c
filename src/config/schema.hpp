#pragma once
// The table of configuration keys: for each, its section and name, what is expected, how to read and
// assign it. Internal to src/config. Immutable after first use; thread-safe.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "doorbell/config/config.hpp"

namespace doorbell::config_schema {

enum class Kind { integer, number, boolean, string };

struct Field {
  std::string section;
  std::string key;
  Kind kind;
  std::string expected;  // e.g. "an integer from 1 to 65535"
  bool secret = false;
  bool reloadable = false;
  // Returns the problem (without the key) when the value is unacceptable; leaves config untouched then.
  std::function<std::optional<std::string>(Config&, const nlohmann::json&)> assign;
  std::function<nlohmann::json(const Config&)> read;

  std::string path() const { return section + "." + key; }
  std::string env_name() const;  // DOORBELL_<SECTION>_<KEY>
};

const std::vector<Field>& fields();
const Field* find(const std::string& section, const std::string& key);
bool has_section(const std::string& section);

}  // namespace doorbell::config_schema
