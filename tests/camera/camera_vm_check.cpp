// Runs inside a VM on Debian's kernel with a virtual camera driver (tests/camera/v4l2_vm.sh: vivid,
// libcamera_vm.sh: vimc): opens the camera through the daemon's real Camera and FrameSource, checks what
// was negotiated and that real pictures arrive, then unplugs the device and plugs it back — the camera
// must go not ready with stale frames (a ring then is camera_unavailable) and come back by itself.
// Usage: doorbell-camera-vm-check SOURCE WIDTH HEIGHT GRANTED UNPLUG
//   WIDTH HEIGHT: the size asked; GRANTED: what the device must grant, "YUYV 640x480"; UNPLUG: class Unplug.
// Prints one line per step and "CAMERA-VM PASS" or "CAMERA-VM FAIL: why"; exits 0 only on PASS.
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/videodev2.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "doorbell/capture/camera.hpp"
#include "doorbell/common/health.hpp"

namespace {

using namespace std::chrono_literals;
using doorbell::capture::Camera;
using doorbell::capture::CameraStatus;
using Clock = std::chrono::steady_clock;

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Waits up to `limit` for `done`; returns the seconds it took.
double wait_for(const std::function<bool()>& done, std::chrono::seconds limit, const std::string& what) {
  const auto start = Clock::now();
  while (!done()) {
    if (Clock::now() - start > limit) throw Failure(fmt::format("{} within {} s", what, limit.count()));
    std::this_thread::sleep_for(20ms);
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// libcamera finds cameras through udev; the VM has no udev daemon, so each media and video node gets the
// empty database entry udev would have written.
void stand_in_for_udev() {
  std::filesystem::create_directories("/run/udev/data");
  for (const auto& entry : std::filesystem::directory_iterator("/dev")) {
    const auto name = entry.path().filename().string();
    if (!name.starts_with("media") && !name.starts_with("video") && !name.starts_with("v4l-subdev")) continue;
    struct stat st {};
    if (stat(entry.path().c_str(), &st) != 0 || !S_ISCHR(st.st_mode)) continue;
    std::ofstream(fmt::format("/run/udev/data/c{}:{}", major(st.st_rdev), minor(st.st_rdev)));
  }
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out.flush()) throw Failure("cannot write " + path);
}

// vivid's "Disconnect" button control: the device acts unplugged (every open file fails with ENODEV)
// until the last file is closed, then it is back. Returns the file that keeps it unplugged.
int v4l2_disconnect(const std::string& device) {
  const int fd = ::open(device.c_str(), O_RDWR);
  if (fd < 0) throw Failure("cannot open " + device + " to unplug it");
  v4l2_queryctrl query{};
  query.id = V4L2_CTRL_FLAG_NEXT_CTRL;
  bool done = false;
  while (!done && ioctl(fd, VIDIOC_QUERYCTRL, &query) == 0) {
    if (std::strcmp(reinterpret_cast<const char*>(query.name), "Disconnect") == 0) {
      v4l2_control control{query.id, 1};
      done = ioctl(fd, VIDIOC_S_CTRL, &control) == 0;
      if (!done) break;
    }
    query.id |= V4L2_CTRL_FLAG_NEXT_CTRL;
  }
  if (!done) {
    ::close(fd);
    throw Failure("no Disconnect control on " + device);
  }
  return fd;
}

double mean_of(const doorbell::Image& image) {
  double sum = 0;
  for (const auto byte : image.pixels) sum += byte;
  return image.pixels.empty() ? 0 : sum / static_cast<double>(image.pixels.size());
}

// How the test takes the camera away and gives it back: vivid's Disconnect control while streaming
// ("v4l2-disconnect:/dev/videoN"), or the platform device unbound before the camera starts and bound
// again ("absent-first:DRIVER:DEVICE": libcamera 0.0.3 aborts the process when a device it streams from
// goes away, an assertion in PipelineHandler::stop; a CSI camera is never hot-unplugged on a Pi).
class Unplug {
 public:
  explicit Unplug(std::string how) : how_(std::move(how)) {
    if (!while_streaming() && !how_.starts_with("absent-first:"))
      throw Failure("UNPLUG is v4l2-disconnect:DEVICE or absent-first:DRIVER:DEVICE");
  }
  bool while_streaming() const { return how_.starts_with("v4l2-disconnect:"); }
  void out() {
    if (while_streaming()) {
      held_ = v4l2_disconnect(how_.substr(how_.find(':') + 1));
    } else {
      write_file(driver() + "/unbind", device());
    }
  }
  void in() {
    if (while_streaming()) {
      ::close(held_);
    } else {
      write_file(driver() + "/bind", device());
      stand_in_for_udev();
    }
  }

 private:
  std::string driver() const {
    const auto first = how_.find(':') + 1;
    return "/sys/bus/platform/drivers/" + how_.substr(first, how_.find(':', first) - first);
  }
  std::string device() const { return how_.substr(how_.rfind(':') + 1); }

  std::string how_;
  int held_ = -1;
};

void check(int argc, char** argv) {
  if (argc != 6) throw Failure("usage: doorbell-camera-vm-check SOURCE WIDTH HEIGHT GRANTED UNPLUG");
  const std::string granted = argv[4];
  Unplug unplug(argv[5]);
  stand_in_for_udev();
  doorbell::CameraConfig config;
  config.source = argv[1];
  config.width = std::stoi(argv[2]);
  config.height = std::stoi(argv[3]);
  config.fps = 10;
  config.reconnect_max_seconds = doorbell::Seconds(2);
  doorbell::SteadyClock clock;
  doorbell::HealthRegistry health(clock);
  auto& component = health.add("camera", 10s);
  prometheus::Registry registry;
  Camera camera(config, doorbell::capture::make_frame_source(config), component, registry);
  const auto delivering = [&] { return camera.status().state == CameraStatus::State::delivering; };
  const auto fresh = [&] { return camera.live().latest_fresh(Clock::now()) != nullptr; };

  const auto seeing = [&] {  // what was negotiated, and real pictures at the rate asked
    const auto info = camera.status().source;
    const auto got = fmt::format("{} {}x{}", info.format, info.width, info.height);
    fmt::print("asked for {}x{}, negotiated: {} {} at {:g} fps\n", config.width, config.height, info.kind,
               got, info.fps);
    if (got != granted) throw Failure(fmt::format("granted {}, not {}", got, granted));
    const auto a = camera.live().latest();
    std::this_thread::sleep_for(2s);
    const auto b = camera.live().latest();
    if (a == nullptr || b == nullptr || b->sequence < a->sequence + 5)
      throw Failure("fewer than 5 pictures in 2 s at 10 fps");
    if (b->image.width != info.width || b->image.height != info.height)
      throw Failure("a picture of another size");
    const double mean = mean_of(b->image);
    if (mean < 10) throw Failure(fmt::format("black pictures (mean {:.1f})", mean));
    fmt::print("pictures: {} in 2 s, {}x{}, mean brightness {:.0f}\n", b->sequence - a->sequence,
               b->image.width, b->image.height, mean);
  };
  const auto gone = [&](Clock::time_point since) {  // not ready, and no fresh frame for a ring to use
    wait_for(
        [&] { return camera.status().state == CameraStatus::State::lost && !component.snapshot().serving(); },
        60s, "not reported lost without a camera");
    const double not_ready = std::chrono::duration<double>(Clock::now() - since).count();
    wait_for([&] { return !fresh(); }, 30s, "the newest picture still fresh");
    fmt::print(
        "gone: not ready after {:.1f} s, no fresh picture after {:.1f} s (a ring now: camera_unavailable): "
        "{}\n",
        not_ready, std::chrono::duration<double>(Clock::now() - since).count(), camera.status().problem);
  };
  const auto back = [&] {
    const double took = wait_for([&] { return delivering() && fresh() && component.snapshot().serving(); },
                                 120s, "not back after the device returned");
    fmt::print("back: ready with fresh pictures {:.1f} s after the device returned, without a restart\n",
               took);
  };

  if (unplug.while_streaming()) {
    camera.start();
    fmt::print("opened {} in {:.1f} s\n", config.source, wait_for(delivering, 120s, "no picture"));
    seeing();
    const auto unplugged = Clock::now();
    unplug.out();
    gone(unplugged);
    unplug.in();
    back();
  } else {
    unplug.out();
    const auto started = Clock::now();
    camera.start();
    gone(started);
    unplug.in();
    back();
    seeing();
  }
  camera.stop();
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_pattern("  log: %v");
  try {
    check(argc, argv);
    fmt::print("CAMERA-VM PASS\n");
    return 0;
  } catch (const std::exception& e) {
    fmt::print("CAMERA-VM FAIL: {}\n", e.what());
    return 1;
  }
}
