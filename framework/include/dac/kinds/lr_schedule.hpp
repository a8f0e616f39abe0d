// Plugin kind `lr_schedule`: the learning-rate multiplier as a function of budget progress
// t in [0, 1] (elapsed time, steps or tokens over the budget).
#pragma once

#include <string_view>

namespace dac {

class LrSchedule {
 public:
  static constexpr std::string_view kind = "lr_schedule";
  virtual ~LrSchedule() = default;
  virtual double multiplier(double progress) const = 0;
};

}  // namespace dac
