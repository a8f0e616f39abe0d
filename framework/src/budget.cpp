// Training budgets: units, the counters a run keeps, progress against a budget, the budget keys
// of a training stage and the recipe's batch-size ramp.
#include "dac/budget.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "dac/records.hpp"

namespace dac {
namespace {

constexpr std::array<BudgetUnit, 4> kUnits = {BudgetUnit::kHours, BudgetUnit::kSteps,
                                              BudgetUnit::kTokens, BudgetUnit::kFlops};

std::vector<std::string> unit_names() {
  std::vector<std::string> names;
  for (BudgetUnit unit : kUnits) names.emplace_back(to_string(unit));
  return names;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// An integer counter; a float holding a whole number (e.g. after a JSON round trip) is accepted.
std::int64_t integer_entry(const ConfigNode& table, std::string_view key) {
  const ConfigNode* node = table.find(key);
  if (!node) return 0;
  if (node->type() == ConfigNode::Type::Float) {
    const double value = node->as_float();
    if (std::isfinite(value) && value == std::floor(value)) return static_cast<std::int64_t>(value);
  }
  return node->as_int();
}

double real_entry(const ConfigNode& table, std::string_view key) {
  const ConfigNode* node = table.find(key);
  return node ? node->as_float() : 0.0;
}

// How much of the budget is used, unclamped.
double used_fraction(const Budget& budget, const TrainingCounters& counters) {
  if (!(budget.amount > 0)) return 1.0;
  return spent(budget.unit, counters) / budget.amount;
}

}  // namespace

double spent(BudgetUnit unit, const TrainingCounters& counters) {
  switch (unit) {
    case BudgetUnit::kHours:
      return counters.elapsed_s / 3600.0;
    case BudgetUnit::kSteps:
      return static_cast<double>(counters.steps);
    case BudgetUnit::kTokens:
      return static_cast<double>(counters.tokens);
    case BudgetUnit::kFlops:
      return counters.flops;
  }
  return 0.0;
}

BudgetBar::BudgetBar(const Budget& budget) : budget_unit_(budget.unit) {
  switch (budget.unit) {
    case BudgetUnit::kSteps:
      unit = "steps";
      break;
    case BudgetUnit::kTokens:
      unit = "tokens";
      break;
    case BudgetUnit::kFlops:
      // TFLOP for real runs; small budgets (tests, the quickstart) in units that still give the
      // bar at least a thousand counts.
      per_count = 1e12;
      unit = "TFLOP";
      for (const auto& [scale, name] : {std::pair{1e9, "GFLOP"}, {1e6, "MFLOP"}, {1.0, "FLOP"}})
        if (budget.amount / per_count < 1000) {
          per_count = scale;
          unit = name;
        }
      break;
    case BudgetUnit::kHours:
      per_count = 1.0 / 3600;
      unit = "s";
      break;
  }
  total = static_cast<std::uint64_t>(budget.amount / per_count);
}

std::uint64_t BudgetBar::done(const TrainingCounters& counters) const {
  return static_cast<std::uint64_t>(spent(budget_unit_, counters) / per_count);
}

std::string_view to_string(BudgetUnit unit) {
  switch (unit) {
    case BudgetUnit::kHours:
      return "hours";
    case BudgetUnit::kSteps:
      return "steps";
    case BudgetUnit::kTokens:
      return "tokens";
    case BudgetUnit::kFlops:
      return "flops";
  }
  throw std::logic_error("unknown BudgetUnit value");
}

std::string describe(const Budget& budget) {
  return format_number(budget.amount) + " " + std::string(to_string(budget.unit));
}

BudgetUnit parse_budget_unit(std::string_view text) {
  for (BudgetUnit unit : kUnits)
    if (to_string(unit) == text) return unit;
  throw std::invalid_argument("unknown budget unit '" + std::string(text) +
                              "' (choices: " + join(unit_names()) + ")");
}

ConfigNode TrainingCounters::to_table() const {
  ConfigNode table = ConfigNode::table();
  table.set("steps", ConfigNode::integer(steps));
  table.set("micro_batches", ConfigNode::integer(micro_batches));
  table.set("sequences", ConfigNode::integer(sequences));
  table.set("tokens", ConfigNode::integer(tokens));
  table.set("flops", ConfigNode::real(flops));
  table.set("elapsed_s", ConfigNode::real(elapsed_s));
  return table;
}

TrainingCounters TrainingCounters::from_table(const ConfigNode& table) {
  TrainingCounters counters;
  counters.steps = integer_entry(table, "steps");
  counters.micro_batches = integer_entry(table, "micro_batches");
  counters.sequences = integer_entry(table, "sequences");
  counters.tokens = integer_entry(table, "tokens");
  counters.flops = real_entry(table, "flops");
  counters.elapsed_s = real_entry(table, "elapsed_s");
  return counters;
}

double progress(const Budget& budget, const TrainingCounters& counters) {
  const double t = used_fraction(budget, counters);
  if (!(t > 0)) return 0.0;  // also NaN
  return std::min(t, 1.0);
}

bool budget_spent(const Budget& budget, const TrainingCounters& counters) {
  if (budget.max_steps > 0 && counters.steps >= budget.max_steps) return true;
  return used_fraction(budget, counters) >= 1.0;
}

ConfigSchema& add_budget_keys(ConfigSchema& schema, std::string_view default_unit,
                              double default_amount) {
  parse_budget_unit(default_unit);  // a bad default is a programming error
  return schema
      .string("budget_unit", std::string(default_unit),
              "what the budget counts: training wall-clock hours, optimizer steps, tokens or "
              "training FLOPs (steps and tokens make runs reproducible)")
      .choices(unit_names())
      .real("budget", default_amount,
            "the training budget, an amount in budget_unit (hours, steps, tokens or FLOPs); "
            "progress through it drives the learning-rate schedule and the batch-size ramp")
      .min(0)
      .integer("max_steps", 0,
               "stop after this many optimizer steps even if budget is left (0 = no cap)")
      .min(0);
}

Budget budget_from(const Options& options) {
  Budget budget;
  try {
    budget.unit = parse_budget_unit(options.string("budget_unit"));
  } catch (const std::invalid_argument& error) {
    options.fail("budget_unit", error.what());
  }
  budget.amount = options.real("budget");
  if (!(budget.amount > 0) || !std::isfinite(budget.amount))
    options.fail("budget", "the budget must be a finite amount above 0");
  budget.max_steps = options.integer("max_steps");
  if (budget.max_steps < 0) options.fail("max_steps", "must be 0 (no cap) or more");
  return budget;
}

std::int64_t batch_size_at(const BatchRamp& ramp, double t) {
  const std::int64_t micro = std::max<std::int64_t>(ramp.micro_batch, 1);
  const std::int64_t final_batch = std::max(ramp.final_batch, micro);
  if (!(t > 0)) t = 0;  // also NaN
  t = std::min(t, 1.0);
  const double fraction = ramp.ramp_end > 0 ? std::min(t / ramp.ramp_end, 1.0) : 1.0;
  const double size =
      static_cast<double>(micro) + static_cast<double>(final_batch - micro) * fraction;
  // A tiny tolerance so that sizes landing exactly on a multiple are not rounded one step down.
  const auto multiples =
      static_cast<std::int64_t>(std::floor(size / static_cast<double>(micro) + 1e-9));
  return std::clamp(multiples, std::int64_t{1}, final_batch / micro) * micro;
}

}  // namespace dac
