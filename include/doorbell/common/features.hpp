#pragma once
// What this build has of its optional components (the CMake options DOORBELL_WITH_*), and the words for a
// setting that asks for one it was built without. Constants.

#include <string>
#include <string_view>

namespace doorbell::features {

inline constexpr bool kGpio = DOORBELL_WITH_GPIOD;
inline constexpr bool kPostgres = DOORBELL_WITH_POSTGRES;
inline constexpr bool kMqtt = DOORBELL_WITH_MQTT;
inline constexpr bool kSystemd = DOORBELL_WITH_SYSTEMD;
inline constexpr bool kLibcamera = DOORBELL_WITH_LIBCAMERA;
inline constexpr bool kWebApp = DOORBELL_WITH_WEB_APP;

// "gpio.chip: this build has no GPIO button (built with DOORBELL_WITH_GPIOD=OFF)…"
inline std::string built_without(std::string_view key, std::string_view what, std::string_view option) {
  return std::string(key) + ": this build has no " + std::string(what) + " (built with DOORBELL_WITH_" +
         std::string(option) + "=OFF); rebuild with it ON, or leave " + std::string(key) + " unset";
}

}  // namespace doorbell::features
