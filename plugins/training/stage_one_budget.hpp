// How DACBERT's two stages share one budget. Stage 1 (agreement_submodels) trains for its own
// steps, hours or FLOPs, or for a share of a total in hours or FLOPs that both stages split: the
// pretrain stage reading its submodels then gets that total minus what stage 1 spent, so the two
// stages together use exactly the budget of a Crammed BERT run.
#pragma once

#include <optional>
#include <string>

#include "dac/budget.hpp"
#include "dac/config.hpp"
#include "dac/kinds/stage.hpp"
#include "dac/options.hpp"

namespace dac::plugins {

struct StageOneBudget {
  Budget stage;                 // what stage 1 trains for
  std::optional<Budget> total;  // the total both stages split (hours or FLOPs), when split
  double share = 0;             // stage 1's part of the total

  // budget_unit, budget, budget_share and max_steps.
  static ConfigSchema& add_keys(ConfigSchema& schema);
  static StageOneBudget from(const Options& options);
  // One log line: "stage 1 budget: 10% of 24 hours (2.4 hours); the pretrain stage gets the rest".
  std::string describe() const;
  // The stage's result: the budget, the split (when any) and what was spent in every unit.
  ConfigNode record(const TrainingCounters& counters) const;
};

// The budget of a pretrain stage whose configured budget is `own` (at `own_path`, for errors),
// given the result of the agreement_submodels stage `stage_one` it reads: `own` unchanged when
// stage 1 did not split a total; otherwise the total minus stage 1's spending. A UserError when
// the stages disagree on the total or nothing is left for stage 2.
Budget stage_two_budget(const Budget& own, const std::string& own_path,
                        const StageInput& stage_one);

}  // namespace dac::plugins
