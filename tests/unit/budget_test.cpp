// Tests of training budgets: progress in each unit, the step cap, the counters' table form, the
// budget keys of a stage and the batch-size ramp.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "dac/budget.hpp"
#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/options.hpp"
#include "support/test_support.hpp"

namespace {

using dac::BatchRamp;
using dac::Budget;
using dac::BudgetUnit;
using dac::ConfigError;
using dac::ConfigNode;
using dac::ConfigSchema;
using dac::TrainingCounters;
using dac::test::contains;
using dac::test::error_of;

TrainingCounters sample_counters() {
  TrainingCounters counters;
  counters.steps = 250;
  counters.micro_batches = 4000;
  counters.sequences = 512000;
  counters.tokens = 65536000;
  counters.flops = 3.5e17;
  counters.elapsed_s = 5400;  // 1.5 hours
  return counters;
}

TEST(BudgetUnitNames, RoundTrip) {
  for (BudgetUnit unit :
       {BudgetUnit::kHours, BudgetUnit::kSteps, BudgetUnit::kTokens, BudgetUnit::kFlops})
    EXPECT_EQ(dac::parse_budget_unit(dac::to_string(unit)), unit);
  EXPECT_EQ(dac::to_string(BudgetUnit::kHours), "hours");
  EXPECT_EQ(dac::to_string(BudgetUnit::kFlops), "flops");
}

TEST(BudgetUnitNames, ParseErrorListsChoices) {
  const std::string message =
      error_of<std::invalid_argument>([] { dac::parse_budget_unit("days"); });
  EXPECT_PRED2(contains, message, "'days'");
  EXPECT_PRED2(contains, message, "hours, steps, tokens, flops");
}

TEST(BudgetProgress, EachUnit) {
  const TrainingCounters counters = sample_counters();
  EXPECT_DOUBLE_EQ(dac::progress({BudgetUnit::kHours, 24, 0}, counters), 1.5 / 24);
  EXPECT_DOUBLE_EQ(dac::progress({BudgetUnit::kSteps, 1000, 0}, counters), 0.25);
  EXPECT_DOUBLE_EQ(dac::progress({BudgetUnit::kTokens, 131072000, 0}, counters), 0.5);
  EXPECT_DOUBLE_EQ(dac::progress({BudgetUnit::kFlops, 1e18, 0}, counters), 0.35);
}

TEST(BudgetProgress, ClampedToUnitInterval) {
  const TrainingCounters counters = sample_counters();
  EXPECT_DOUBLE_EQ(dac::progress({BudgetUnit::kSteps, 100, 0}, counters), 1.0);
  EXPECT_DOUBLE_EQ(dac::progress({BudgetUnit::kHours, 1, 0}, counters), 1.0);
  EXPECT_DOUBLE_EQ(dac::progress({BudgetUnit::kSteps, 100, 0}, TrainingCounters{}), 0.0);
  TrainingCounters negative;
  negative.elapsed_s = -5;
  EXPECT_DOUBLE_EQ(dac::progress({BudgetUnit::kHours, 1, 0}, negative), 0.0);
}

TEST(BudgetSpent, ByBudgetOrStepCap) {
  TrainingCounters counters = sample_counters();
  EXPECT_FALSE(dac::budget_spent({BudgetUnit::kSteps, 1000, 0}, counters));
  EXPECT_TRUE(dac::budget_spent({BudgetUnit::kSteps, 250, 0}, counters));
  EXPECT_TRUE(dac::budget_spent({BudgetUnit::kHours, 1.5, 0}, counters));
  // The step cap ends a run whose budget is not spent.
  EXPECT_FALSE(dac::budget_spent({BudgetUnit::kHours, 24, 251}, counters));
  EXPECT_TRUE(dac::budget_spent({BudgetUnit::kHours, 24, 250}, counters));
  EXPECT_TRUE(dac::budget_spent({BudgetUnit::kHours, 24, 100}, counters));
  // 0 means no cap.
  counters.steps = 1'000'000;
  EXPECT_FALSE(dac::budget_spent({BudgetUnit::kTokens, 1e12, 0}, counters));
}

TEST(BudgetCounters, TableRoundTrip) {
  const TrainingCounters counters = sample_counters();
  const ConfigNode table = counters.to_table();
  ASSERT_NE(table.find("steps"), nullptr);
  EXPECT_EQ(table.find("steps")->type(), ConfigNode::Type::Int);
  EXPECT_EQ(table.find("tokens")->type(), ConfigNode::Type::Int);
  EXPECT_EQ(table.find("micro_batches")->type(), ConfigNode::Type::Int);
  EXPECT_EQ(table.find("sequences")->type(), ConfigNode::Type::Int);
  EXPECT_EQ(table.find("flops")->type(), ConfigNode::Type::Float);
  EXPECT_EQ(table.find("elapsed_s")->type(), ConfigNode::Type::Float);

  const TrainingCounters back = TrainingCounters::from_table(table);
  EXPECT_EQ(back.steps, counters.steps);
  EXPECT_EQ(back.micro_batches, counters.micro_batches);
  EXPECT_EQ(back.sequences, counters.sequences);
  EXPECT_EQ(back.tokens, counters.tokens);
  EXPECT_DOUBLE_EQ(back.flops, counters.flops);
  EXPECT_DOUBLE_EQ(back.elapsed_s, counters.elapsed_s);

  // Through TOML text, as stored in a checkpoint.
  const TrainingCounters reparsed =
      TrainingCounters::from_table(dac::parse_toml(dac::to_toml(table), "counters.toml"));
  EXPECT_EQ(reparsed.tokens, counters.tokens);
  EXPECT_DOUBLE_EQ(reparsed.elapsed_s, counters.elapsed_s);
}

TEST(BudgetCounters, MissingKeysAreZero) {
  const TrainingCounters counters =
      TrainingCounters::from_table(dac::parse_toml("steps = 7\nflops = 2\n", "c.toml"));
  EXPECT_EQ(counters.steps, 7);
  EXPECT_EQ(counters.micro_batches, 0);
  EXPECT_EQ(counters.sequences, 0);
  EXPECT_EQ(counters.tokens, 0);
  EXPECT_DOUBLE_EQ(counters.flops, 2.0);
  EXPECT_DOUBLE_EQ(counters.elapsed_s, 0.0);
}

ConfigSchema budget_schema() {
  ConfigSchema schema;
  dac::add_budget_keys(schema, "hours", 24);
  return schema;
}

TEST(BudgetKeys, DefaultsAndHelp) {
  const ConfigSchema schema = budget_schema();
  const dac::KeySpec* unit = schema.find("budget_unit");
  ASSERT_NE(unit, nullptr);
  EXPECT_EQ(unit->choices, (std::vector<std::string>{"hours", "steps", "tokens", "flops"}));
  const dac::KeySpec* amount = schema.find("budget");
  ASSERT_NE(amount, nullptr);
  EXPECT_PRED2(contains, amount->help, "budget_unit");
  ASSERT_NE(schema.find("max_steps"), nullptr);

  const Budget budget = dac::budget_from(schema.validate(ConfigNode::table(), "train"));
  EXPECT_EQ(budget.unit, BudgetUnit::kHours);
  EXPECT_DOUBLE_EQ(budget.amount, 24.0);
  EXPECT_EQ(budget.max_steps, 0);
}

TEST(BudgetKeys, ReadFromToml) {
  const ConfigNode table =
      dac::parse_toml("budget_unit = \"tokens\"\nbudget = 5e9\nmax_steps = 1000\n", "x.toml");
  const Budget budget = dac::budget_from(budget_schema().validate(table, "train"));
  EXPECT_EQ(budget.unit, BudgetUnit::kTokens);
  EXPECT_DOUBLE_EQ(budget.amount, 5e9);
  EXPECT_EQ(budget.max_steps, 1000);

  // An integer amount is accepted for the float key.
  const Budget steps = dac::budget_from(budget_schema().validate(
      dac::parse_toml("budget_unit = \"steps\"\nbudget = 300\n", "x.toml"), "train"));
  EXPECT_EQ(steps.unit, BudgetUnit::kSteps);
  EXPECT_DOUBLE_EQ(steps.amount, 300.0);
}

TEST(BudgetKeys, BadUnitNamesKeyAndChoices) {
  const ConfigNode table = dac::parse_toml("budget_unit = \"days\"\n", "x.toml");
  const std::string message =
      error_of<ConfigError>([&] { budget_schema().validate(table, "train"); });
  EXPECT_PRED2(contains, message, "train.budget_unit");
  EXPECT_PRED2(contains, message, "x.toml:1");
  EXPECT_PRED2(contains, message, "hours");
  EXPECT_PRED2(contains, message, "flops");
}

TEST(BudgetKeys, AmountMustBePositive) {
  const std::string zero = error_of<ConfigError>([] {
    dac::budget_from(budget_schema().validate(dac::parse_toml("budget = 0\n", "x.toml"), "train"));
  });
  EXPECT_PRED2(contains, zero, "train.budget");
  EXPECT_PRED2(contains, zero, "x.toml:1");
  const std::string negative = error_of<ConfigError>(
      [] { budget_schema().validate(dac::parse_toml("budget = -2\n", "x.toml"), "train"); });
  EXPECT_PRED2(contains, negative, "train.budget");
  const std::string cap = error_of<ConfigError>(
      [] { budget_schema().validate(dac::parse_toml("max_steps = -1\n", "x.toml"), "train"); });
  EXPECT_PRED2(contains, cap, "train.max_steps");
}

TEST(BudgetBatchRamp, RecipeValues) {
  const BatchRamp ramp{128, 8192, 0.6};
  EXPECT_EQ(dac::batch_size_at(ramp, 0.0), 128);
  // t = 0.3 is half-way up the ramp: 128 + 0.5 · 8064 = 4160, rounded down to 32 · 128.
  EXPECT_EQ(dac::batch_size_at(ramp, 0.3), 4096);
  EXPECT_EQ(dac::batch_size_at(ramp, 0.6), 8192);
  EXPECT_EQ(dac::batch_size_at(ramp, 1.0), 8192);
  // t = 0.1: 128 + 8064 / 6 = 1472 = 11.5 · 128 -> 1408.
  EXPECT_EQ(dac::batch_size_at(ramp, 0.1), 1408);
  // Outside [0, 1] t is clamped.
  EXPECT_EQ(dac::batch_size_at(ramp, -1.0), 128);
  EXPECT_EQ(dac::batch_size_at(ramp, 2.0), 8192);
}

TEST(BudgetBatchRamp, AlwaysAMultipleOfTheMicroBatch) {
  for (const BatchRamp& ramp : {BatchRamp{128, 8192, 0.6}, BatchRamp{96, 8192, 0.6},
                                BatchRamp{7, 100, 0.3}, BatchRamp{256, 4096, 1.0}}) {
    std::int64_t previous = 0;
    for (int i = 0; i <= 1000; ++i) {
      const std::int64_t size = dac::batch_size_at(ramp, i / 1000.0);
      EXPECT_EQ(size % ramp.micro_batch, 0) << "micro " << ramp.micro_batch << " t " << i;
      EXPECT_GE(size, ramp.micro_batch);
      EXPECT_LE(size, ramp.final_batch);
      EXPECT_GE(size, previous);  // never shrinks
      previous = size;
    }
  }
  // 8192 is not a multiple of 96: the final size rounds down.
  EXPECT_EQ(dac::batch_size_at({96, 8192, 0.6}, 1.0), 8160);
}

TEST(BudgetBatchRamp, NoRampAndSmallFinalBatch) {
  EXPECT_EQ(dac::batch_size_at({128, 8192, 0.0}, 0.0), 8192);
  EXPECT_EQ(dac::batch_size_at({128, 8192, 0.0}, 0.5), 8192);
  // A final batch below one micro-batch is one micro-batch.
  EXPECT_EQ(dac::batch_size_at({128, 64, 0.6}, 0.0), 128);
  EXPECT_EQ(dac::batch_size_at({128, 64, 0.6}, 1.0), 128);
}

}  // namespace
