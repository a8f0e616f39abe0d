// How DACBERT's two stages share one budget.
#include "stage_one_budget.hpp"

#include <fmt/format.h>

#include <cmath>

#include "dac/error.hpp"

namespace dac::plugins {

namespace {

// A number of a stage result, or nothing.
std::optional<double> number(const ConfigNode& table, std::string_view key) {
  const ConfigNode* node = table.find(key);
  if (node == nullptr || !node->is_number()) return std::nullopt;
  return node->as_float();
}

}  // namespace

ConfigSchema& StageOneBudget::add_keys(ConfigSchema& schema) {
  return schema
      .string("budget_unit", "steps",
              "steps: train for `budget` optimizer steps; hours or flops: `budget` is the total "
              "of both DACBERT stages (the Crammed BERT run's budget), of which this stage spends "
              "budget_share and the pretrain stage reading its submodels the rest")
      .choices({"steps", "hours", "flops"})
      .real("budget", 1000, "steps of this stage, or the hours or FLOPs both stages split")
      .min(0)
      .real("budget_share", 0.1, "this stage's share of a total in hours or FLOPs")
      .min(0)
      .max(1)
      .integer("max_steps", 0, "stop after this many steps even if budget is left (0 = no cap)")
      .min(0);
}

StageOneBudget StageOneBudget::from(const Options& options) {
  StageOneBudget result;
  const Budget given = budget_from(options);
  result.stage = given;
  if (given.unit != BudgetUnit::kSteps) {
    result.share = options.real("budget_share");
    if (!(result.share > 0) || result.share >= 1)
      options.fail("budget_share", "must be above 0 and below 1 when the budget is split");
    result.total = given;
    result.stage.amount = given.amount * result.share;
  }
  return result;
}

std::string StageOneBudget::describe() const {
  if (!total) return "stage 1 budget: " + dac::describe(stage);
  return fmt::format(
      "stage 1 budget: {:g}% of {} ({}); the pretrain stage reading these submodels gets the "
      "rest",
      share * 100, dac::describe(*total), dac::describe(stage));
}

ConfigNode StageOneBudget::record(const TrainingCounters& counters) const {
  ConfigNode result = counters.to_table();
  result.set("hours", ConfigNode::real(counters.elapsed_s / 3600));
  result.set("budget_unit", ConfigNode::string(std::string(to_string(stage.unit))));
  result.set("budget", ConfigNode::real(stage.amount));
  if (total) {
    result.set("split_total", ConfigNode::real(total->amount));
    result.set("budget_share", ConfigNode::real(share));
  }
  return result;
}

Budget stage_two_budget(const Budget& own, const std::string& own_path,
                        const StageInput& stage_one) {
  const std::optional<double> total = number(stage_one.result, "split_total");
  if (!total) return own;
  const ConfigNode* unit_node = stage_one.result.find("budget_unit");
  const std::string unit = unit_node ? unit_node->as_string() : "";
  const Budget split{.unit = parse_budget_unit(unit), .amount = *total};
  if (own.unit != split.unit || std::abs(own.amount - split.amount) > 1e-9 * split.amount)
    throw UserError(fmt::format(
        "{} is {} but stage '{}' took its share of a {} total (stages.{}.budget): give both "
        "stages the same total budget and unit",
        own_path, dac::describe(own), stage_one.name, dac::describe(split), stage_one.name));
  TrainingCounters spent_by_stage_one = TrainingCounters::from_table(stage_one.result);
  Budget rest = own;
  rest.amount = own.amount - spent(own.unit, spent_by_stage_one);
  if (!(rest.amount > 0))
    throw UserError(fmt::format("stage '{}' spent the whole {} budget; nothing is left for {}",
                                stage_one.name, dac::describe(own), own_path));
  return rest;
}

}  // namespace dac::plugins
