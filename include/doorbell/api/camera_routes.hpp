#pragma once
// GET /api/camera: what the camera is doing — the source (its password masked), what it negotiated,
// since when, and when it is lost why and how often it is tried again — in facts and in plain words.
// Plain functions of their inputs plus their registration. Thread-safe.

#include <chrono>
#include <string>

#include "doorbell/api/transport.hpp"
#include "doorbell/capture/camera.hpp"

namespace doorbell::api {

// "The camera stopped sending pictures 12 s ago; trying again every 4 s (cannot open …)."
std::string camera_words(const capture::CameraStatus& status, std::chrono::system_clock::time_point now);
Response camera_status(const capture::Camera* camera, const CameraConfig& config,
                       std::chrono::system_clock::time_point now);  // camera null: none configured

void add_camera_routes(Server& server, const capture::Camera* camera, const CameraConfig& config);

}  // namespace doorbell::api
