#pragma once
// ButtonLogic: a doorbell button's raw edges into presses. Every edge restarts a quiet period; when it
// ends the caller reads the line's real level and settle() compares it with the last stable level, so
// bouncy, merged, reordered or missed edges can never invert the state. A press rings at once; holding
// longer than the long-press time reports a long press once. Pure logic on steady-clock times; used by
// one thread.

#include <chrono>
#include <optional>

namespace doorbell::trigger {

enum class ButtonEvent { press, long_press };

class ButtonLogic {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  ButtonLogic(std::chrono::nanoseconds debounce, std::chrono::nanoseconds long_press)
      : debounce_(debounce), long_press_(long_press) {}

  void edge(time_point at);
  // When to read the line level and call settle(); empty while no edge is pending.
  std::optional<time_point> settle_at() const { return settle_at_; }
  // With the line's level read after the quiet period (true = pressed).
  std::optional<ButtonEvent> settle(time_point now, bool pressed);
  // While held: a long press, once, when the button has been down long enough.
  std::optional<ButtonEvent> poll(time_point now);

 private:
  const std::chrono::nanoseconds debounce_;
  const std::chrono::nanoseconds long_press_;
  bool pressed_ = false;
  std::optional<time_point> settle_at_;
  std::optional<time_point> first_edge_;  // of the current burst
  time_point pressed_since_{};
  bool long_reported_ = false;
};

}  // namespace doorbell::trigger
