#pragma once
// env_of: an EnvLookup over a fixed map, so tests of configuration need not touch the process's
// environment. Value semantics; thread-safe.

#include <map>
#include <optional>
#include <string>

#include "doorbell/config/loader.hpp"

namespace doorbell::testing {

inline EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace doorbell::testing
