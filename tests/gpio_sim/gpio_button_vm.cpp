// Runs inside a VM on Debian's kernel with gpio-sim (tests/gpio_sim/run.sh): drives a
// simulated GPIO line the way a doorbell button does — clean, bouncing, glitching, held, pressed in
// quick succession — and checks that the real GpioButton (libgpiod v1, the kernel's edge events) rings
// exactly once per press. Prints one line per case and "GPIO-SIM PASS" or "GPIO-SIM FAIL".
#include <fmt/format.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "doorbell/common/health.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/pipeline/ring_intake.hpp"
#include "doorbell/trigger/gpio_button.hpp"

namespace {

using namespace std::chrono_literals;
using doorbell::pipeline::RingIntake;

// The simulated line's pull, i.e. what the button does to it: pressed pulls it down to ground.
class SimulatedButton {
 public:
  explicit SimulatedButton(std::filesystem::path pull) : pull_(std::move(pull)) {}
  void press() const { write("pull-down"); }
  void release() const { write("pull-up"); }
  void bounce(int toggles, std::chrono::microseconds apart, bool end_pressed) const {
    for (int i = 0; i < toggles; ++i) {
      (i % 2 == 0) == end_pressed ? release() : press();
      std::this_thread::sleep_for(apart);
    }
    end_pressed ? press() : release();
  }

 private:
  void write(const char* value) const {
    std::ofstream out(pull_);
    out << value;
    if (!out.flush()) throw std::runtime_error("cannot write " + pull_.string());
  }
  std::filesystem::path pull_;
};

// Rings queued so far, and when the first of them was accepted.
std::pair<int, std::optional<std::chrono::steady_clock::time_point>> take_rings(RingIntake& intake) {
  int n = 0;
  std::optional<std::chrono::steady_clock::time_point> first;
  while (auto ring = intake.queue().try_pop()) {
    if (n++ == 0) first = ring->at;
  }
  return {n, first};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: {} CHIP PULL_FILE\n", argv[0]);
    return 2;
  }
  doorbell::GpioConfig config;  // the defaults: active low, pull-up, 30 ms debounce, 2 s long press
  config.chip = argv[1];
  config.line = 17;
  const SimulatedButton button(argv[2]);
  button.release();

  prometheus::Registry registry;
  doorbell::PipelineConfig pipeline;
  pipeline.hold_off_seconds =
      doorbell::Seconds(0);  // count every press; coalescing is RingIntake's, tested elsewhere
  RingIntake intake(pipeline, registry);
  doorbell::SteadyClock clock;
  doorbell::HealthRegistry health(clock);
  auto& component = health.add("gpio");
  doorbell::trigger::GpioButton gpio(config, intake, component);
  gpio.start();
  for (int i = 0; i < 100 && component.snapshot().state != doorbell::ComponentState::ready; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  bool ok = component.snapshot().state == doorbell::ComponentState::ready;
  fmt::print("gpio component: {} {}\n", doorbell::to_string(component.snapshot().state),
             component.snapshot().detail);

  std::chrono::steady_clock::time_point pressed_at;
  auto check = [&](const char* name, int expected, auto&& act) {
    pressed_at = std::chrono::steady_clock::now();
    act();
    std::this_thread::sleep_for(300ms);  // well past the 30 ms quiet period
    const auto [rings, first] = take_rings(intake);
    if (first && rings == 1) {
      fmt::print("{}: press to ring {:.1f} ms (debounce {} ms)\n", name,
                 std::chrono::duration<double, std::milli>(*first - pressed_at).count(),
                 config.debounce_ms.count());
    }
    fmt::print("{}: {} ring(s), expected {} — {}\n", name, rings, expected,
               rings == expected ? "ok" : "WRONG");
    ok = ok && rings == expected;
  };
  check("clean press", 1, [&] {
    button.press();
    std::this_thread::sleep_for(150ms);
    button.release();
  });
  check("bouncing press and release", 1, [&] {
    button.bounce(7, 1ms, true);
    std::this_thread::sleep_for(150ms);
    button.bounce(7, 1ms, false);
  });
  check("5 ms glitch", 0, [&] {
    button.press();
    std::this_thread::sleep_for(5ms);
    button.release();
  });
  check("long press", 1, [&] {
    button.press();
    std::this_thread::sleep_for(2500ms);
    button.release();
  });
  check("five presses 250 ms apart", 5, [&] {
    for (int i = 0; i < 5; ++i) {
      button.press();
      std::this_thread::sleep_for(100ms);
      button.release();
      std::this_thread::sleep_for(150ms);
    }
  });
  check("no press", 0, [] { std::this_thread::sleep_for(500ms); });
  gpio.stop();
  fmt::print("GPIO-SIM {}\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
