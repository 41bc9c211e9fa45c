#include "doorbell/trigger/gpio_button.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#if DOORBELL_WITH_GPIOD
#include <gpiod.hpp>
#endif

#include "doorbell/common/features.hpp"
#include "doorbell/common/interruptible_sleep.hpp"
#include "doorbell/trigger/button_logic.hpp"

namespace doorbell::trigger {

GpioButton::GpioButton(const GpioConfig& config, pipeline::RingIntake& intake, Component& component)
    : config_(config), intake_(intake), component_(component) {}

void GpioButton::start() {
  worker_ = std::make_unique<Worker>(component_,
                                     [this](std::stop_token stop, Component& self) { run(stop, self); });
}

void GpioButton::stop() {
  stop_worker(worker_);
}

void GpioButton::run(std::stop_token stop, Component& self) {
  auto backoff = std::chrono::seconds(1);
  while (!stop.stop_requested()) {
    try {
      watch(stop, self);
    } catch (const std::exception& e) {
      spdlog::warn("gpio {} line {}: {}; retrying in {} s", config_.chip, config_.line, e.what(),
                   backoff.count());
      self.set_not_ready(std::string("gpio: ") + e.what());
    }
    if (!sleep_for(stop, backoff)) break;
    backoff = std::min(backoff * 2, std::chrono::seconds(30));
  }
}

#if DOORBELL_WITH_GPIOD
namespace {

using Clock = std::chrono::steady_clock;

std::bitset<32> request_flags(const GpioConfig& c) {
  std::bitset<32> flags;
  if (c.active_low) flags |= gpiod::line_request::FLAG_ACTIVE_LOW;
  if (c.bias == "pull-up") flags |= gpiod::line_request::FLAG_BIAS_PULL_UP;
  if (c.bias == "pull-down") flags |= gpiod::line_request::FLAG_BIAS_PULL_DOWN;
  if (c.bias == "disable") flags |= gpiod::line_request::FLAG_BIAS_DISABLE;
  return flags;
}

}  // namespace

void GpioButton::watch(std::stop_token stop, Component& self) {
  gpiod::chip chip(config_.chip);
  auto line = chip.get_line(static_cast<unsigned int>(config_.line));
  line.request({"doorbelld", gpiod::line_request::EVENT_BOTH_EDGES, request_flags(config_)});
  ButtonLogic logic(std::chrono::duration_cast<std::chrono::microseconds>(config_.debounce_ms),
                    std::chrono::duration_cast<std::chrono::milliseconds>(config_.long_press_seconds));
  self.set_ready();
  spdlog::info("gpio: watching {} line {}", config_.chip, config_.line);
  while (!stop.stop_requested()) {
    self.beat();
    auto wait = std::chrono::nanoseconds(std::chrono::milliseconds(200));
    if (const auto at = logic.settle_at())
      wait = std::clamp(*at - Clock::now(), Clock::duration::zero(), wait);
    if (line.event_wait(wait)) {
      // Edge timestamps are CLOCK_MONOTONIC, the steady clock's.
      for (const auto& event : line.event_read_multiple()) logic.edge(Clock::time_point(event.timestamp));
    }
    const auto now = Clock::now();
    if (const auto at = logic.settle_at(); at && now >= *at) {
      if (logic.settle(now, line.get_value() == 1) == ButtonEvent::press) intake_.ring("gpio");
    }
    if (logic.poll(now) == ButtonEvent::long_press) spdlog::info("gpio: long press");
  }
}
#else
void GpioButton::watch(std::stop_token, Component&) {  // load_config() refuses gpio.chip in such a build
  throw std::runtime_error(features::built_without("gpio.chip", "GPIO button", "GPIOD"));
}
#endif

}  // namespace doorbell::trigger
