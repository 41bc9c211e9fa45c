#pragma once
// GpioButton: the doorbell button on a Linux GPIO line through libgpiod (v1 API, as Raspberry Pi OS
// bookworm ships). Its thread waits for edges, debounces them with ButtonLogic (re-reading the level
// after the quiet period) and rings the RingIntake; a long press is logged. An unusable chip or line
// makes the "gpio" component not ready and is retried with backoff. start()/stop() from one thread.

#include <memory>

#include "doorbell/common/health.hpp"
#include "doorbell/common/worker.hpp"
#include "doorbell/config/config.hpp"
#include "doorbell/pipeline/ring_intake.hpp"

namespace doorbell::trigger {

class GpioButton {
 public:
  GpioButton(const GpioConfig& config, pipeline::RingIntake& intake, Component& component);
  void start();
  void stop();

 private:
  void run(std::stop_token stop, Component& self);
  void watch(std::stop_token stop, Component& self);  // until the line fails or stop

  const GpioConfig config_;
  pipeline::RingIntake& intake_;
  Component& component_;
  std::unique_ptr<Worker> worker_;
};

}  // namespace doorbell::trigger
