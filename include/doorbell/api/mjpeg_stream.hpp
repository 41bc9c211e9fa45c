#pragma once
// MjpegStream: GET /api/stream.mjpg, the camera's newest frames as multipart/x-mixed-replace JPEGs to at
// most http.stream_max_clients viewers at http.stream_fps (more are answered 503). A frame is encoded
// once however many watch it. close() ends every stream; call it before the HTTP server stops.
// Thread-safe.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "doorbell/api/transport.hpp"
#include "doorbell/capture/live_frame.hpp"
#include "doorbell/config/config.hpp"

namespace doorbell::api {

class MjpegStream {
 public:
  // `live` may be null (no camera): every request is then answered 503.
  MjpegStream(const HttpConfig& config, const capture::LiveFrame* live, prometheus::Registry& registry);
  MjpegStream(const MjpegStream&) = delete;
  MjpegStream& operator=(const MjpegStream&) = delete;

  // A streaming response, or 503 JSON when the stream is off, there is no camera or all places are taken.
  Response open();
  void close();

  static constexpr std::string_view kBoundary = "doorbellframe";

 private:
  struct Viewer;
  void watch(const Response::Write& write);
  std::shared_ptr<const std::string> encoded(const capture::FramePtr& frame);

  const capture::LiveFrame* live_;
  const int max_clients_;
  const std::chrono::nanoseconds period_;
  std::mutex mutex_;
  std::condition_variable closed_cv_;
  bool closed_ = false;  // guarded by mutex_
  int clients_ = 0;      // guarded by mutex_
  std::uint64_t cached_sequence_ = 0;
  std::shared_ptr<const std::string> cached_;  // the part for cached_sequence_; guarded by mutex_
  prometheus::Gauge& clients_gauge_;
  prometheus::Counter& refused_;
  prometheus::Counter& sent_;
};

}  // namespace doorbell::api
