// The Raspberry Pi Camera Module (and any camera libcamera drives) through libcamera's own GStreamer
// element, libcamerasrc. The distribution builds that element against its own libcamera — Debian's 0.0.3,
// Raspberry Pi OS's 0.3-0.5, which are not ABI-compatible — so doorbelld needs no libcamera headers and
// survives libcamera updates. GStreamer's C API, not OpenCV's GStreamer backend, which has no read timeout
// (4.6): a camera whose frontend times out stops sending, a stall here, reopened like any outage.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "doorbell/common/features.hpp"
#include "sources.hpp"

#if DOORBELL_WITH_LIBCAMERA
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <mutex>

namespace doorbell::capture {
namespace {

constexpr GstClockTime kOpenTimeout = 10 * GST_SECOND;
constexpr GstClockTime kOpenPoll = GST_SECOND / 10;
constexpr GstClockTime kStallTimeout = 5 * GST_SECOND;

// The size is asked of the camera itself (its ISP scales, not the CPU). Where libcamera cannot give it, it
// adjusts the size to one the sensor and ISP can produce and the caps fail to negotiate: the size it
// offered instead is then asked for, as a V4L2 device's granted size is taken.
constexpr const char* kPipeline =
    "libcamerasrc name=camera ! video/x-raw,width={},height={} ! videoconvert ! video/x-raw,format=BGR ! "
    "appsink name=sink max-buffers=1 drop=true sync=false";

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};
void unref_object(GstElement* e) {
  gst_object_unref(e);
}
using ElementPtr = std::unique_ptr<GstElement, Deleter<GstElement, unref_object>>;
using SamplePtr = std::unique_ptr<GstSample, Deleter<GstSample, gst_sample_unref>>;

class LibcameraSource final : public FrameSource {
 public:
  explicit LibcameraSource(CameraConfig config) : config_(std::move(config)) {
    // libcamera logs every open at INFO to stderr (the journal), retries included: warnings and errors
    // ("Camera frontend has timed out!") only, unless the operator chose. Set while the daemon starts.
    setenv("LIBCAMERA_LOG_LEVELS", "*:WARN", 0);  // NOLINT(concurrency-mt-unsafe)
    const auto colon = config_.source.find(':');
    if (colon != std::string::npos) camera_id_ = config_.source.substr(colon + 1);
  }
  ~LibcameraSource() override { close(); }
  LibcameraSource(const LibcameraSource&) = delete;
  LibcameraSource& operator=(const LibcameraSource&) = delete;

  void open() override {
    static std::once_flag init;
    std::call_once(init, [] { gst_init(nullptr, nullptr); });
    close();  // the camera that was lost
    try {
      start(config_.width, config_.height);
    } catch (const std::runtime_error& e) {
      const auto offered = camera_caps();
      close();
      if (std::string_view(e.what()).find("not-negotiated") == std::string_view::npos || !offered)
        throw std::runtime_error(fmt::format("cannot open camera \"{}\": {}", config_.source, e.what()));
      spdlog::info("camera: libcamera cannot give {}x{}; it offers {}x{}", config_.width, config_.height,
                   GST_VIDEO_INFO_WIDTH(&*offered), GST_VIDEO_INFO_HEIGHT(&*offered));
      try {
        start(GST_VIDEO_INFO_WIDTH(&*offered), GST_VIDEO_INFO_HEIGHT(&*offered));
      } catch (const std::runtime_error& again) {
        close();
        throw std::runtime_error(fmt::format("cannot open camera \"{}\": {}", config_.source, again.what()));
      }
    }
    report();
  }

  bool live() const noexcept override { return true; }

  bool grab() override {
    sample_.reset(gst_app_sink_try_pull_sample(GST_APP_SINK(sink_.get()), kStallTimeout));
    if (!sample_) {
      const auto error = bus_error();
      spdlog::warn("camera: libcamera {}", error.empty() ? "sent no picture for 5 s" : error);
    }
    return sample_ != nullptr;
  }

  std::optional<Image> retrieve() override {
    if (!sample_) return std::nullopt;
    GstVideoInfo video;
    if (!gst_video_info_from_caps(&video, gst_sample_get_caps(sample_.get()))) return std::nullopt;
    GstBuffer* buffer = gst_sample_get_buffer(sample_.get());
    GstMapInfo map;
    if (buffer == nullptr || !gst_buffer_map(buffer, &map, GST_MAP_READ)) return std::nullopt;
    Image image{GST_VIDEO_INFO_WIDTH(&video), GST_VIDEO_INFO_HEIGHT(&video), {}};
    const auto row = static_cast<std::size_t>(image.width) * 3;
    const auto stride = static_cast<std::size_t>(GST_VIDEO_INFO_PLANE_STRIDE(&video, 0));
    const auto offset = GST_VIDEO_INFO_PLANE_OFFSET(&video, 0);
    image.pixels.resize(row * static_cast<std::size_t>(image.height));
    if (offset + stride * static_cast<std::size_t>(image.height - 1) + row <= map.size) {
      for (std::size_t y = 0; y < static_cast<std::size_t>(image.height); ++y)
        std::memcpy(image.pixels.data() + row * y, map.data + offset + stride * y, row);
    }
    gst_buffer_unmap(buffer, &map);
    return image;
  }

  std::optional<Image> read() override { return grab() ? retrieve() : std::nullopt; }
  SourceInfo info() const override { return info_; }

 private:
  void start(int width, int height) {
    GError* error = nullptr;
    pipeline_.reset(gst_parse_launch(fmt::format(kPipeline, width, height).c_str(), &error));
    if (error != nullptr) {
      std::string message = error->message;
      g_error_free(error);
      throw std::runtime_error(message);
    }
    ElementPtr camera(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "camera"));
    if (!camera_id_.empty()) g_object_set(camera.get(), "camera-name", camera_id_.c_str(), nullptr);
    sink_.reset(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "sink"));
    if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
      throw std::runtime_error(or_else(bus_error(), "libcamerasrc would not start"));
    // The first picture, or the first error (no camera, a size it cannot negotiate), whichever comes first.
    for (GstClockTime waited = 0; !sample_ && waited < kOpenTimeout; waited += kOpenPoll) {
      sample_.reset(gst_app_sink_try_pull_sample(GST_APP_SINK(sink_.get()), kOpenPoll));
      if (auto problem = bus_error(); !sample_ && !problem.empty()) throw std::runtime_error(problem);
    }
    if (!sample_) throw std::runtime_error("no picture within 10 s");
  }

  // What the camera itself sends (its pad's caps, set even when they failed to negotiate).
  std::optional<GstVideoInfo> camera_caps() const {
    if (!pipeline_) return std::nullopt;
    std::optional<GstVideoInfo> video;
    ElementPtr camera(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "camera"));
    if (GstPad* pad = gst_element_get_static_pad(camera.get(), "src")) {
      if (GstCaps* caps = gst_pad_get_current_caps(pad)) {
        video.emplace();
        if (!gst_video_info_from_caps(&*video, caps)) video.reset();
        gst_caps_unref(caps);
      }
      gst_object_unref(pad);
    }
    return video;
  }

  void report() {
    info_ = {"libcamera", "?", 0, 0, 0};
    if (const auto video = camera_caps()) {
      info_.format = gst_video_format_to_string(GST_VIDEO_INFO_FORMAT(&*video));
      info_.width = GST_VIDEO_INFO_WIDTH(&*video);
      info_.height = GST_VIDEO_INFO_HEIGHT(&*video);
      if (GST_VIDEO_INFO_FPS_D(&*video) > 0 && GST_VIDEO_INFO_FPS_N(&*video) > 0)
        info_.fps = static_cast<double>(GST_VIDEO_INFO_FPS_N(&*video)) / GST_VIDEO_INFO_FPS_D(&*video);
    }
    spdlog::info("camera: {} gives {} {}x{} at {:g} fps (asked for {}x{})", config_.source, info_.format,
                 info_.width, info_.height, info_.fps, config_.width, config_.height);
  }

  // The first error the pipeline posted ("Could not find a camera named …", "not-negotiated"), if any.
  std::string bus_error() {
    if (!pipeline_) return {};
    GstBus* bus = gst_element_get_bus(pipeline_.get());
    std::string text;
    if (GstMessage* message = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR)) {
      GError* error = nullptr;
      gchar* debug = nullptr;
      gst_message_parse_error(message, &error, &debug);
      text = error != nullptr ? error->message : "error";
      if (text.ends_with('.')) text.pop_back();
      if (debug != nullptr && std::strstr(debug, "not-negotiated") != nullptr) text += " (not-negotiated)";
      if (error != nullptr) g_error_free(error);
      g_free(debug);
      gst_message_unref(message);
    }
    gst_object_unref(bus);
    return text;
  }

  static std::string or_else(std::string text, const char* otherwise) {
    return text.empty() ? otherwise : text;
  }

  void close() {
    sample_.reset();
    sink_.reset();
    if (pipeline_) gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
    pipeline_.reset();
  }

  CameraConfig config_;
  std::string camera_id_;  // empty: libcamera's first camera
  ElementPtr pipeline_;
  ElementPtr sink_;
  SamplePtr sample_;
  SourceInfo info_;
};

}  // namespace

std::unique_ptr<FrameSource> make_libcamera_source(const CameraConfig& config) {
  return std::make_unique<LibcameraSource>(config);
}

}  // namespace doorbell::capture
#else
namespace doorbell::capture {

std::unique_ptr<FrameSource> make_libcamera_source(const CameraConfig&) {  // load_config() refuses it first
  throw std::runtime_error(features::built_without("camera.source", "libcamera camera", "LIBCAMERA"));
}

}  // namespace doorbell::capture
#endif
