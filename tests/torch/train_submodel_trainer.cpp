// DACBERT's stage-1 loop on tiny chunk transformers: exact resumption, budgets in steps and
// FLOPs, the FLOPs it counts, and the loss per type it records.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <random>

#include "dac/model/chunk_submodels.hpp"
#include "dac/records.hpp"
#include "dac/train/submodel_trainer.hpp"
#include "support/test_support.hpp"

namespace dac::train {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kVocab = 30;

// Two-word chunks whose second word follows from the first, so MLM inside them is learnable.
std::vector<ChunkExample> chunks(std::uint32_t seed, std::int32_t offset) {
  std::mt19937 random(seed);
  std::vector<ChunkExample> examples;
  for (int i = 0; i < 40; ++i) {
    const auto first = static_cast<std::int32_t>(5 + random() % 12);
    examples.push_back(
        {.ids = {first, 5 + (first - 5 + offset) % 25}, .controller = 0, .target = 1});
  }
  return examples;
}

std::shared_ptr<SubmodelSet> tiny_set(std::uint64_t seed) {
  torch::manual_seed(seed);
  model::EncoderSize size;
  size.vocab_size = kVocab;
  size.hidden = 16;
  size.layers = 1;
  size.heads = 2;
  size.intermediate = 32;
  size.max_positions = 8;
  auto set = std::make_shared<SubmodelSet>();
  set->add("first", std::make_shared<model::ChunkTransformer>(size));
  set->add("second", std::make_shared<model::ChunkTransformer>(size));
  return set;
}

class SubmodelTrainerTest : public ::testing::Test {
 protected:
  SubmodelTrainingSettings settings(const std::string& checkpoints) const {
    SubmodelTrainingSettings s;
    s.budget = {BudgetUnit::kSteps, 10, 0};
    s.batch_chunks = 8;
    s.learning_rate = 3e-3;
    s.masking = {.mask_id = 4, .padding_id = 0, .rate = 0.15, .anchor_share = 0.75};
    s.seed = 3;
    s.log_every = 3;
    s.checkpoint_every_minutes = 0;
    s.checkpoint_dir = dir_.path() / checkpoints;
    return s;
  }
  SubmodelTrainer trainer(std::shared_ptr<SubmodelSet> set, const SubmodelTrainingSettings& s) {
    return SubmodelTrainer(std::move(set), {chunks(1, 1), chunks(2, 3)}, compute_, s, {}, log_);
  }
  static double max_difference(torch::nn::Module& a, torch::nn::Module& b) {
    double worst = 0;
    auto pb = b.named_parameters();
    for (const auto& item : a.named_parameters())
      worst = std::max(worst, (item.value() - pb[item.key()]).abs().max().item<double>());
    return worst;
  }

  test::TempDir dir_;
  Compute compute_ =
      resolve_compute({.device = "cpu", .precision = "fp32", .threads = 1, .peak_tflops = 1});
  RecordBus bus_;
  RunLog log_{bus_, "run", "submodels"};
};

TEST_F(SubmodelTrainerTest, StoppingAndResumingGivesTheSameWeightsAsRunningStraight) {
  auto straight_set = tiny_set(0);
  const SubmodelTrainingOutcome full = trainer(straight_set, settings("straight")).run();
  ASSERT_TRUE(full.finished);
  EXPECT_EQ(full.counters.steps, 10);

  SubmodelTrainingSettings interrupted = settings("interrupted");
  interrupted.stop_after_steps = 4;
  auto first_set = tiny_set(0);
  const SubmodelTrainingOutcome part = trainer(first_set, interrupted).run();
  EXPECT_FALSE(part.finished);
  EXPECT_EQ(part.counters.steps, 4);

  // Differently initialised weights: everything must come from the checkpoint.
  auto resumed_set = tiny_set(99);
  interrupted.stop_after_steps = 0;
  SubmodelTrainer second = trainer(resumed_set, interrupted);
  ASSERT_TRUE(second.resume());
  const SubmodelTrainingOutcome rest = second.run();
  ASSERT_TRUE(rest.finished);
  EXPECT_LE(max_difference(*straight_set, *resumed_set), 1e-6);
  EXPECT_EQ(rest.counters.tokens, full.counters.tokens);
  EXPECT_DOUBLE_EQ(rest.counters.flops, full.counters.flops);
  ASSERT_EQ(rest.losses.size(), 2u);
  EXPECT_NEAR(rest.losses[1], full.losses[1], 1e-6);
}

TEST_F(SubmodelTrainerTest, AFlopBudgetStopsAtTheFirstStepThatReachesIt) {
  // A step runs each type's submodel forward and backward over its 8 x 2 chunk positions and the
  // decoder at the masked ones: one to two per chunk.
  auto set = tiny_set(0);
  const double encoder = 3.0 * 16 * set->submodels[0]->forward_flops_per_position(2);
  const double decoder = 3.0 * set->submodels[0]->decoder_flops_per_prediction();
  const double least = 2 * (encoder + 8 * decoder), most = 2 * (encoder + 16 * decoder);

  SubmodelTrainingSettings s = settings("one-step");
  s.budget = {BudgetUnit::kSteps, 1, 0};
  const SubmodelTrainingOutcome one = trainer(tiny_set(0), s).run();
  EXPECT_GE(one.counters.flops, least);
  EXPECT_LE(one.counters.flops, most);

  s = settings("flops");
  s.budget = {BudgetUnit::kFlops, 3.5 * least, 0};
  const SubmodelTrainingOutcome run = trainer(tiny_set(0), s).run();
  EXPECT_TRUE(run.finished);
  EXPECT_GE(run.counters.flops, s.budget.amount);
  EXPECT_LT(run.counters.flops - most, s.budget.amount);
  EXPECT_EQ(run.counters.tokens, run.counters.steps * 2 * 16);
}

TEST_F(SubmodelTrainerTest, LossesPerTypeFallAndAreRecorded) {
  auto sink = std::make_shared<test::CollectingSink>();
  bus_.add_sink(sink);
  SubmodelTrainingSettings s = settings("losses");
  s.budget = {BudgetUnit::kSteps, 60, 0};
  s.log_every = 10;
  const SubmodelTrainingOutcome outcome = trainer(tiny_set(0), s).run();
  int metric_lines = 0;
  double first_loss = 0;
  for (const Record& record : sink->records) {
    if (record.event != Record::Event::Metrics) continue;
    ASSERT_NE(record.values.find("loss/first"), nullptr);
    ASSERT_NE(record.values.find("loss/second"), nullptr);
    ASSERT_NE(record.values.find("flops"), nullptr);
    if (metric_lines++ == 0) first_loss = record.values.find("loss/second")->as_float();
  }
  EXPECT_EQ(metric_lines, 6);
  EXPECT_LT(outcome.losses[1], first_loss);
}

}  // namespace
}  // namespace dac::train
