// Training budgets and progress. A budget is an amount of wall-clock hours (the Crammed BERT
// recipe), optimizer steps, tokens or FLOPs; progress t = used / budget in that unit drives the
// learning-rate schedule and the batch-size ramp. Every run counts all four units, so runs
// budgeted one way can be compared in the others.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dac/config.hpp"
#include "dac/options.hpp"

namespace dac {

enum class BudgetUnit { kHours, kSteps, kTokens, kFlops };

// "hours", "steps", "tokens", "flops"; parse throws std::invalid_argument listing the choices.
std::string_view to_string(BudgetUnit unit);
BudgetUnit parse_budget_unit(std::string_view text);

struct Budget {
  BudgetUnit unit = BudgetUnit::kSteps;
  double amount = 0;           // in `unit` (> 0)
  std::int64_t max_steps = 0;  // a step cap on top of the budget; 0 = none
};
// The amount and its unit, e.g. "24 hours", "4e+18 flops".
std::string describe(const Budget& budget);

// What a run has used so far. Survives resumes (stored in checkpoints).
struct TrainingCounters {
  std::int64_t steps = 0;          // optimizer steps taken (skipped non-finite steps included)
  std::int64_t micro_batches = 0;  // micro-batches consumed (the data position)
  std::int64_t sequences = 0;
  std::int64_t tokens = 0;
  double flops = 0;      // training FLOPs (forward + backward)
  double elapsed_s = 0;  // training wall-clock seconds, summed over resumed sessions

  ConfigNode to_table() const;
  static TrainingCounters from_table(const ConfigNode& table);
};

// What `counters` have used, in `unit` (hours, steps, tokens or FLOPs).
double spent(BudgetUnit unit, const TrainingCounters& counters);
// Progress t in [0, 1] of `counters` against `budget` (clamped).
double progress(const Budget& budget, const TrainingCounters& counters);
// True when the budget is used up or the step cap is reached.
bool budget_spent(const Budget& budget, const TrainingCounters& counters);

// A progress bar over a budget: whole counts of `unit` (steps, tokens, seconds, GFLOP or TFLOP).
struct BudgetBar {
  std::uint64_t total = 0;
  std::string unit;
  double per_count = 1;  // budget units per counted unit

  explicit BudgetBar(const Budget& budget);
  std::uint64_t done(const TrainingCounters& counters) const;

 private:
  BudgetUnit budget_unit_;
};

// The budget keys of a training stage: budget_unit, budget (the amount) and max_steps.
ConfigSchema& add_budget_keys(ConfigSchema& schema, std::string_view default_unit,
                              double default_amount);
Budget budget_from(const Options& options);

// The recipe's batch-size ramp: linear in t from one micro-batch to final_batch sequences at
// t = ramp_end, rounded down to a multiple of the micro-batch (never below one micro-batch).
struct BatchRamp {
  std::int64_t micro_batch = 128;
  std::int64_t final_batch = 8192;
  double ramp_end = 0.6;  // 0 = final_batch from the start
};
std::int64_t batch_size_at(const BatchRamp& ramp, double t);

}  // namespace dac
