#include "doorbell/common/worker.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <exception>

namespace doorbell {
namespace {

// The component's name as `top -H` and `ps -L` show the thread: Linux allows 15 characters, so a longer
// one keeps its numbered end ("recognition_worker_1" -> "recognition_w_1").
std::string thread_name(const std::string& component) {
  constexpr std::size_t kMax = 15;
  if (component.size() <= kMax) return component;
  const auto cut = component.rfind('_');
  if (cut == std::string::npos || component.size() - cut >= kMax) return component.substr(0, kMax);
  const auto tail = component.substr(cut);
  auto head = component.substr(0, kMax - tail.size());
  while (!head.empty() && head.back() == '_') head.pop_back();
  return head + tail;
}

}  // namespace

Worker::Worker(Component& component, Body body)
    : component_(component),
      body_(std::move(body)),
      thread_([this](std::stop_token stop) { run(std::move(stop), component_, body_); }) {}

void Worker::run(std::stop_token stop, Component& component, const Body& body) {
  pthread_setname_np(pthread_self(), thread_name(component.name()).c_str());
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
