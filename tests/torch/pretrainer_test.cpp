// The pretraining loop on a tiny Crammed BERT and tiny shards: exact resumption, the non-finite
// guard, budgets in each unit, and the metrics it records.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <random>

#include "dac/model/crammed_bert.hpp"
#include "dac/records.hpp"
#include "dac/schedules.hpp"
#include "dac/text/token_shard.hpp"
#include "dac/train/pretrainer.hpp"
#include "support/test_support.hpp"

namespace dac::train {
namespace {

namespace fs = std::filesystem;

constexpr std::int32_t kVocab = 40;
constexpr std::uint32_t kSeqLen = 16;

// Rows with a learnable pattern: each token is the previous one plus one (mod the non-special
// range), from a random start.
void write_shard(const fs::path& path, int rows, std::uint32_t seed) {
  std::mt19937 random(seed);
  text::TokenShardWriter writer(path, kSeqLen, kVocab);
  std::vector<std::int32_t> ids(kSeqLen);
  for (int r = 0; r < rows; ++r) {
    std::int32_t id = 5 + static_cast<std::int32_t>(random() % (kVocab - 5));
    for (auto& value : ids) {
      value = id;
      id = 5 + (id - 5 + 1) % (kVocab - 5);
    }
    writer.add_row(ids);
  }
  writer.finish();
}

using test::CollectingSink;

std::shared_ptr<model::CrammedBert> tiny_model(std::uint64_t seed) {
  torch::manual_seed(seed);
  model::EncoderSize size;
  size.vocab_size = kVocab;
  size.hidden = 16;
  size.layers = 1;
  size.heads = 2;
  size.intermediate = 32;
  size.max_positions = kSeqLen;
  return std::make_shared<model::CrammedBert>(size);
}

class PretrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_shard(dir_.path() / "train-00000.tokens", 48, 1);
    write_shard(dir_.path() / "validation-00000.tokens", 8, 2);
    compute_ =
        resolve_compute({.device = "cpu", .precision = "fp32", .threads = 1, .peak_tflops = 1});
  }

  PretrainSettings settings(const std::string& checkpoints) const {
    PretrainSettings s;
    s.budget = {BudgetUnit::kSteps, 12, 0};
    s.ramp = {4, 12, 0.5};
    s.peak_lr = 3e-3;
    s.lr_multiplier = [](double t) { return triangle_multiplier(t); };
    s.train_shards = {dir_.path() / "train-00000.tokens"};
    s.validation_shards = {dir_.path() / "validation-00000.tokens"};
    s.masking.mask_id = 4;
    s.masking.vocab_size = kVocab;
    s.masking.never_random = {0, 1, 2, 3, 4};
    s.order = text::RowOrder::kShuffled;
    s.seed = 7;
    s.log_every = 2;
    s.validate_every = 4;
    s.checkpoint_every_minutes = 0;
    s.checkpoint_dir = dir_.path() / checkpoints;
    return s;
  }

  static double max_difference(torch::nn::Module& a, torch::nn::Module& b) {
    double worst = 0;
    auto pa = a.named_parameters();
    auto pb = b.named_parameters();
    for (const auto& item : pa)
      worst = std::max(worst, (item.value() - pb[item.key()]).abs().max().item<double>());
    return worst;
  }

  test::TempDir dir_;
  Compute compute_;
  RecordBus bus_;
  RunLog log_{bus_, "run", "pretrain"};
};

TEST_F(PretrainerTest, StoppingAndResumingGivesTheSameWeightsAsRunningStraight) {
  auto straight_model = tiny_model(0);
  Pretrainer straight(straight_model, compute_, settings("straight"), {}, log_);
  const PretrainOutcome full = straight.run();
  ASSERT_TRUE(full.finished);
  EXPECT_EQ(full.counters.steps, 12);

  PretrainSettings interrupted = settings("interrupted");
  interrupted.stop_after_steps = 5;
  auto first_model = tiny_model(0);
  {
    Pretrainer first(first_model, compute_, interrupted, {}, log_);
    const PretrainOutcome part = first.run();
    EXPECT_FALSE(part.finished);
    EXPECT_EQ(part.counters.steps, 5);
  }
  // A differently initialised model: everything must come from the checkpoint.
  auto resumed_model = tiny_model(99);
  interrupted.stop_after_steps = 0;
  Pretrainer second(resumed_model, compute_, interrupted, {}, log_);
  ASSERT_TRUE(second.resume());
  const PretrainOutcome rest = second.run();
  ASSERT_TRUE(rest.finished);

  EXPECT_LE(max_difference(*straight_model, *resumed_model), 1e-6);
  EXPECT_EQ(rest.counters.steps, full.counters.steps);
  EXPECT_EQ(rest.counters.tokens, full.counters.tokens);
  EXPECT_EQ(rest.counters.micro_batches, full.counters.micro_batches);
  EXPECT_DOUBLE_EQ(rest.counters.flops, full.counters.flops);
  ASSERT_EQ(rest.train_curve.size(), full.train_curve.size());
  for (std::size_t i = 0; i < full.train_curve.size(); ++i)
    EXPECT_NEAR(rest.train_curve[i].loss, full.train_curve[i].loss, 1e-6) << "point " << i;
  EXPECT_NEAR(rest.final_validation_loss, full.final_validation_loss, 1e-6);
}

TEST_F(PretrainerTest, BatchSizeRampsAndTokensAreCounted) {
  auto sink = std::make_shared<CollectingSink>();
  bus_.add_sink(sink);
  auto model = tiny_model(0);
  Pretrainer trainer(model, compute_, settings("ramp"), {}, log_);
  const PretrainOutcome outcome = trainer.run();
  // Batch sizes along the ramp (micro 4 -> 12 at t = 0.5 over 12 steps).
  std::int64_t expected_sequences = 0;
  for (int step = 0; step < 12; ++step)
    expected_sequences += batch_size_at({4, 12, 0.5}, step / 12.0);
  EXPECT_EQ(outcome.counters.sequences, expected_sequences);
  EXPECT_EQ(outcome.counters.tokens, expected_sequences * kSeqLen);
  EXPECT_EQ(outcome.counters.micro_batches, expected_sequences / 4);
  EXPECT_DOUBLE_EQ(outcome.counters.flops, static_cast<double>(outcome.counters.tokens) *
                                               model->train_flops_per_token(kSeqLen, 0.25));

  int train_records = 0, validation_records = 0;
  for (const Record& record : sink->records) {
    if (record.event != Record::Event::Metrics) continue;
    if (record.values.find("validation_loss")) {
      ++validation_records;
      continue;
    }
    ++train_records;
    for (const char* key : {"tokens", "flops", "loss", "lr", "batch_size", "grad_norm",
                            "tokens_per_s", "tflops", "mfu", "memory_mb", "progress"})
      EXPECT_NE(record.values.find(key), nullptr) << key << " at step " << record.step;
    const double t = record.values.find("progress")->as_float();
    EXPECT_NEAR(record.values.find("lr")->as_float(), 3e-3 * triangle_multiplier(t), 1e-12);
  }
  EXPECT_EQ(train_records, 6);       // every 2 of 12 steps
  EXPECT_EQ(validation_records, 3);  // steps 4, 8, 12
  bus_.remove_sink(sink);
}

TEST_F(PretrainerTest, LossFalls) {
  PretrainSettings s = settings("falls");
  s.budget = {BudgetUnit::kSteps, 200, 0};
  s.ramp = {8, 8, 0};
  s.peak_lr = 1e-2;
  s.validate_every = 0;
  auto model = tiny_model(0);
  Pretrainer trainer(model, compute_, s, {}, log_);
  const double before = trainer.validation_loss();
  const PretrainOutcome outcome = trainer.run();
  EXPECT_LT(outcome.final_validation_loss, before - 0.3);
}

TEST_F(PretrainerTest, TokenAndWallClockBudgetsStopTheRun) {
  PretrainSettings by_tokens = settings("tokens");
  by_tokens.budget = {BudgetUnit::kTokens, 1000, 0};
  by_tokens.ramp = {4, 4, 0};
  auto model = tiny_model(0);
  const PretrainOutcome tokens = Pretrainer(model, compute_, by_tokens, {}, log_).run();
  EXPECT_GE(tokens.counters.tokens, 1000);
  EXPECT_LT(tokens.counters.tokens, 1000 + 4 * kSeqLen);

  PretrainSettings by_time = settings("hours");
  by_time.budget = {BudgetUnit::kHours, 0.3 / 3600, 0};
  by_time.validation_shards.clear();
  const PretrainOutcome timed = Pretrainer(tiny_model(0), compute_, by_time, {}, log_).run();
  EXPECT_GE(timed.counters.elapsed_s, 0.3);
  EXPECT_TRUE(std::isnan(timed.final_validation_loss));

  PretrainSettings capped = settings("cap");
  capped.budget = {BudgetUnit::kSteps, 100, 3};
  EXPECT_EQ(Pretrainer(tiny_model(0), compute_, capped, {}, log_).run().counters.steps, 3);
}

TEST_F(PretrainerTest, RepeatedNonFiniteStepsStopTheRunAndKeepTheLastGoodCheckpoint) {
  PretrainSettings s = settings("nonfinite");
  s.ramp = {4, 4, 0};
  s.checkpoint_every_steps = 2;
  s.max_nonfinite_in_a_row = 3;
  auto model = tiny_model(0);
  int calls = 0;
  s.loss = [&](const Batch& batch) {
    torch::Tensor loss = model->mlm_loss(batch);
    return ++calls > 3 ? loss * std::numeric_limits<float>::quiet_NaN() : loss;
  };
  Pretrainer trainer(model, compute_, s, {}, log_);
  try {
    trainer.run();
    FAIL() << "expected the run to stop";
  } catch (const std::runtime_error& error) {
    EXPECT_TRUE(test::contains(error.what(), "3 consecutive steps")) << error.what();
    EXPECT_TRUE(test::contains(error.what(), "latest.ckpt")) << error.what();
  }
  // Steps 4, 5, 6 were skipped: the weights are still those after step 3, and the checkpoint on
  // disk is the one written at step 2.
  const CheckpointMeta meta = read_checkpoint_meta(trainer.latest_checkpoint());
  EXPECT_EQ(meta.counters.steps, 2);
  EXPECT_EQ(trainer.counters().steps, 6);
  for (const auto& parameter : model->parameters())
    EXPECT_TRUE(torch::isfinite(parameter).all().item<bool>());
}

TEST_F(PretrainerTest, ASingleNonFiniteStepIsSkippedAndTrainingGoesOn) {
  PretrainSettings s = settings("one_nan");
  s.ramp = {4, 4, 0};
  auto model = tiny_model(0);
  int calls = 0;
  s.loss = [&](const Batch& batch) {
    torch::Tensor loss = model->mlm_loss(batch);
    return ++calls == 3 ? loss * std::numeric_limits<float>::infinity() : loss;
  };
  const PretrainOutcome outcome = Pretrainer(model, compute_, s, {}, log_).run();
  EXPECT_TRUE(outcome.finished);
  EXPECT_EQ(outcome.skipped_steps, 1);
}

}  // namespace
}  // namespace dac::train
