#include "doorbell/common/worker.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace doorbell {

Worker::Worker(Component& component, Body body)
    : component_(component),
      body_(std::move(body)),
      thread_([this](std::stop_token stop) { run(std::move(stop), component_, body_); }) {}

void Worker::run(std::stop_token stop, Component& component, const Body& body) {
  try {
    body(stop, component);
  } catch (const std::exception& e) {
    spdlog::critical("worker {} died: {}", component.name(), e.what());
    component.set_failed(e.what());
    return;
  } catch (...) {
    spdlog::critical("worker {} died: unknown exception", component.name());
    component.set_failed("unknown exception");
    return;
  }
  if (stop.stop_requested()) {
    component.set_stopped();
  } else {
    spdlog::critical("worker {} stopped unexpectedly", component.name());
    component.set_failed("stopped unexpectedly");
  }
}

}  // namespace doorbell
