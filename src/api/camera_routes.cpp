#include "doorbell/api/camera_routes.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "doorbell/common/url.hpp"
#include "doorbell/model/time_text.hpp"

namespace doorbell::api {
namespace {

using capture::CameraStatus;
using nlohmann::json;

// "12 s", "3 min", "2 h", "4 days": how long ago, to the unit a person would say.
std::string span(std::chrono::duration<double> d) {
  const double s = std::max(0.0, d.count());
  if (s < 90) return fmt::format("{:.0f} s", s);
  if (s < 90 * 60) return fmt::format("{:.0f} min", s / 60);
  if (s < 36 * 3600) return fmt::format("{:.0f} h", s / 3600);
  return fmt::format("{:.0f} days", s / 86400);
}

// "YUYV 640x480 at 10 fps", from what was negotiated.
std::string negotiated(const capture::SourceInfo& info) {
  std::string text = info.format;
  if (info.width > 0) text += fmt::format(" {}x{}", info.width, info.height);
  if (info.fps > 0) text += fmt::format(" at {:g} fps", std::round(info.fps * 10) / 10);
  return text;
}

const char* state_name(CameraStatus::State state) {
  switch (state) {
    case CameraStatus::State::connecting:
      return "connecting";
    case CameraStatus::State::delivering:
      return "delivering";
    case CameraStatus::State::lost:
      return "lost";
  }
  return "lost";
}

}  // namespace

std::string camera_words(const CameraStatus& status, std::chrono::system_clock::time_point now) {
  switch (status.state) {
    case CameraStatus::State::connecting:
      return "Opening the camera.";
    case CameraStatus::State::delivering:
      return fmt::format("Sending pictures ({}).", negotiated(status.source));
    case CameraStatus::State::lost:
      break;
  }
  const auto retry = std::max(1.0, std::round(status.retry_every.count()));
  return fmt::format("The camera stopped sending pictures {} ago; trying again every {:.0f} s ({}).",
                     span(now - status.since), retry, status.problem);
}

Response camera_status(const capture::Camera* camera, const CameraConfig& config,
                       std::chrono::system_clock::time_point now) {
  if (camera == nullptr) {
    return json_response(200,
                         json{{"configured", false}, {"state", "none"}, {"words", "No camera is set up."}});
  }
  const auto status = camera->status();
  json body{{"configured", true},
            {"state", state_name(status.state)},
            {"words", camera_words(status, now)},
            {"source", without_password(config.source)},
            {"since", model::iso_time(status.since)},
            {"rotation", config.rotation},
            {"hflip", config.hflip}};
  if (!status.source.kind.empty()) {
    body["negotiated"] = {{"kind", status.source.kind},
                          {"format", status.source.format},
                          {"width", status.source.width},
                          {"height", status.source.height},
                          {"fps", status.source.fps}};
  }
  if (status.state == CameraStatus::State::lost) {
    body["problem"] = status.problem;
    body["retry_seconds"] = status.retry_every.count();
  }
  return json_response(200, body);
}

void add_camera_routes(Server& server, const capture::Camera* camera, const CameraConfig& config) {
  server.get("/api/camera", [camera, &config](const Request&) {
    return camera_status(camera, config, std::chrono::system_clock::now());
  });
}

}  // namespace doorbell::api
