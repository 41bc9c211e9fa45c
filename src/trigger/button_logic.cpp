#include "doorbell/trigger/button_logic.hpp"

namespace doorbell::trigger {

void ButtonLogic::edge(time_point at) {
  if (!first_edge_) first_edge_ = at;
  settle_at_ = at + debounce_;
}

std::optional<ButtonEvent> ButtonLogic::settle(time_point now, bool pressed) {
  const auto began = first_edge_.value_or(now);
  settle_at_.reset();
  first_edge_.reset();
  if (pressed == pressed_) return std::nullopt;  // a glitch, or a press and release merged into one burst
  pressed_ = pressed;
  if (!pressed) return std::nullopt;
  pressed_since_ = began;
  long_reported_ = false;
  return ButtonEvent::press;
}

std::optional<ButtonEvent> ButtonLogic::poll(time_point now) {
  if (!pressed_ || long_reported_ || now - pressed_since_ < long_press_) return std::nullopt;
  long_reported_ = true;
  return ButtonEvent::long_press;
}

}  // namespace doorbell::trigger
