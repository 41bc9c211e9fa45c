#include "doorbell/api/mjpeg_stream.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "doorbell/common/image_codec.hpp"

namespace doorbell::api {

// Holds a viewer's place; the place is given back when the response (and so this) is destroyed,
// whether or not the stream ever ran.
struct MjpegStream::Viewer {
  explicit Viewer(MjpegStream& s) : stream(s) {}
  ~Viewer() {
    std::lock_guard lock(stream.mutex_);
    --stream.clients_;
    stream.clients_gauge_.Set(stream.clients_);
  }
  Viewer(const Viewer&) = delete;
  Viewer& operator=(const Viewer&) = delete;
  MjpegStream& stream;
};

MjpegStream::MjpegStream(const HttpConfig& config, const capture::LiveFrame* live,
                         prometheus::Registry& registry)
    : live_(live),
      max_clients_(config.stream_max_clients),
      period_(std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::duration<double>(1.0 / config.stream_fps))),
      clients_gauge_(prometheus::BuildGauge()
                         .Name("doorbell_stream_clients")
                         .Help("Viewers of /api/stream.mjpg right now")
                         .Register(registry)
                         .Add({})),
      refused_(prometheus::BuildCounter()
                   .Name("doorbell_stream_refused_total")
                   .Help("Viewers of /api/stream.mjpg refused because http.stream_max_clients were watching")
                   .Register(registry)
                   .Add({})),
      sent_(prometheus::BuildCounter()
                .Name("doorbell_stream_frames_sent_total")
                .Help("Frames sent to /api/stream.mjpg viewers, all viewers together")
                .Register(registry)
                .Add({})) {}

Response MjpegStream::open() {
  if (max_clients_ == 0) return json_error(503, "the live stream is off (http.stream_max_clients is 0)");
  if (live_ == nullptr) return json_error(503, "no camera configured (camera.source)");
  {
    std::lock_guard lock(mutex_);
    if (closed_) return json_error(503, "shutting down");
    if (clients_ >= max_clients_) {
      refused_.Increment();
      return json_error(503, fmt::format("{} viewer(s) already watching (http.stream_max_clients)", clients_),
                        "too_many_viewers");
    }
    ++clients_;
    clients_gauge_.Set(clients_);
  }
  auto viewer = std::make_shared<Viewer>(*this);
  Response r;
  r.content_type = fmt::format("multipart/x-mixed-replace; boundary={}", kBoundary);
  r.stream = [this, viewer](const Response::Write& write) { watch(write); };
  return r;
}

void MjpegStream::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  closed_cv_.notify_all();
}

void MjpegStream::watch(const Response::Write& write) {
  std::uint64_t last_sent = 0;
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (closed_cv_.wait_until(lock, next, [this] { return closed_; })) return;
    }
    next = std::max(next + period_, std::chrono::steady_clock::now());  // a slow viewer is not caught up
    // None fresh (the camera is down) or nothing new: the viewer keeps its last frame.
    const auto frame = live_->latest_fresh(std::chrono::steady_clock::now());
    if (!frame || frame->sequence == last_sent) continue;
    if (!write(*encoded(frame))) return;  // the viewer left
    last_sent = frame->sequence;
    sent_.Increment();
  }
}

std::shared_ptr<const std::string> MjpegStream::encoded(const capture::FramePtr& frame) {
  {
    std::lock_guard lock(mutex_);
    if (cached_ && cached_sequence_ == frame->sequence) return cached_;
  }
  const auto jpeg = encode_jpeg(frame->image.view(), 80);
  auto part = std::make_shared<std::string>(
      fmt::format("--{}\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n", kBoundary, jpeg.size()));
  part->append(jpeg.begin(), jpeg.end());
  part->append("\r\n");
  std::lock_guard lock(mutex_);
  if (frame->sequence >= cached_sequence_) {
    cached_sequence_ = frame->sequence;
    cached_ = part;
  }
  return part;
}

}  // namespace doorbell::api
