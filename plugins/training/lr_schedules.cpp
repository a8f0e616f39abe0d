// The lr_schedule plugins, thin wrappers over the multipliers of dac/schedules.hpp.
#include "lr_schedules.hpp"

#include <functional>
#include <memory>

#include "dac/schedules.hpp"

namespace dac::plugins {

namespace {

class FunctionSchedule : public LrSchedule {
 public:
  explicit FunctionSchedule(std::function<double(double)> function)
      : function_(std::move(function)) {}
  double multiplier(double progress) const override { return function_(progress); }

 private:
  std::function<double(double)> function_;
};

std::unique_ptr<LrSchedule> schedule(std::function<double(double)> function) {
  return std::make_unique<FunctionSchedule>(std::move(function));
}

}  // namespace

void register_lr_schedules(PluginRegistrar& registrar) {
  registrar.add<LrSchedule>(
      {.name = "triangle",
       .version = "1",
       .summary = "Crammed BERT's budget triangle: min(start + (1-start) t/peak_at, "
                  "(1-t)/(1-peak_at))",
       .schema = ConfigSchema()
                     .real("start", 0.25, "multiplier at t = 0")
                     .min(0)
                     .max(1)
                     .real("peak_at", 0.75, "progress at which the multiplier reaches 1")
                     .min(0)
                     .max(1)},
      [](const Options& options) {
        const double start = options.real("start"), peak_at = options.real("peak_at");
        if (peak_at <= 0 || peak_at >= 1)
          options.fail("peak_at", "must lie strictly between 0 and 1");
        return schedule([=](double t) { return triangle_multiplier(t, start, peak_at); });
      });
  registrar.add<LrSchedule>(
      {.name = "cosine",
       .version = "1",
       .summary = "linear warm-up, then cosine decay to `floor` at the end of the budget",
       .schema = ConfigSchema()
                     .real("warmup", 0.1, "share of the budget spent warming up")
                     .min(0)
                     .max(1)
                     .real("floor", 0.0, "multiplier at t = 1")
                     .min(0)
                     .max(1)},
      [](const Options& options) {
        const double warmup = options.real("warmup"), floor = options.real("floor");
        return schedule([=](double t) { return cosine_multiplier(t, warmup, floor); });
      });
  registrar.add<LrSchedule>(
      {.name = "linear",
       .version = "1",
       .summary = "linear warm-up, then linear decay to 0 at the end of the budget",
       .schema = ConfigSchema()
                     .real("warmup", 0.1, "share of the budget spent warming up")
                     .min(0)
                     .max(1)},
      [](const Options& options) {
        const double warmup = options.real("warmup");
        return schedule([=](double t) { return linear_multiplier(t, warmup); });
      });
  registrar.add<LrSchedule>({.name = "constant",
                             .version = "1",
                             .summary = "the peak learning rate throughout",
                             .schema = ConfigSchema()},
                            [](const Options&) { return schedule([](double) { return 1.0; }); });
}

}  // namespace dac::plugins
