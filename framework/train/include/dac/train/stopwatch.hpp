// Wall-clock timing of training steps and checkpoint intervals (a monotonic clock).
#pragma once

#include <chrono>

namespace dac::train {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace dac::train
