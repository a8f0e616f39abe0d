// The pretrain stage as users run it through dacrun: what a run leaves behind (metrics, loss
// plot, checkpoint, export, budget record) and the errors for a bad configuration.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;
using dac::test::read_file;
using dac::test::run_dacrun;
using dac::test::write_file;

const char* kData = R"([experiment]
name = "p"

[[stages]]
name = "data"
kind = "prepare"
normalizer = "crammed"
vocab_size = 2000
seq_len = 32
validation_fraction = 0.05

[[stages.corpus]]
name = "synthetic_agreement"
documents = 300
sentences_per_document = 6
)";

const char* kPretrain = R"(
[[stages]]
name = "pretrain"
kind = "pretrain"
inputs = ["data"]
model = { name = "crammed_bert", layers = 1, hidden = 32, heads = 2, intermediate = 64, max_positions = 32 }
budget_unit = "steps"
budget = 12
micro_batch = 8
batch_size = 16
log_every = 4
validate_every = 6
threads = 1
)";

class PretrainStageTest : public ::testing::Test {
 protected:
  dac::test::CommandResult run(const std::string& experiment, std::vector<std::string> extra = {}) {
    write_file(dir_ / "x.toml", experiment);
    std::vector<std::string> args{"run", "x.toml", "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_dacrun(args, dir_.path());
  }
  fs::path stage_dir(const std::string& kind) {
    for (const auto& entry : fs::directory_iterator(dir_ / "runs" / "stages"))
      if (entry.path().filename().string().rfind(kind + "-", 0) == 0) return entry.path();
    return {};
  }
  dac::test::TempDir dir_;
};

TEST_F(PretrainStageTest, ARunLeavesMetricsPlotCheckpointExportAndBudget) {
  const auto result = run(std::string(kData) + kPretrain);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const fs::path stage = stage_dir("pretrain");
  ASSERT_FALSE(stage.empty());
  for (const char* file : {"loss.svg", "checkpoints/latest.ckpt", "export/encoder.safetensors",
                           "export/encoder.json", "export/vocab.txt", "training.toml"})
    EXPECT_TRUE(fs::exists(stage / file)) << file;
  const std::string metrics = read_file(stage / "metrics.jsonl");
  EXPECT_PRED2(contains, metrics, "\"loss\":");
  EXPECT_PRED2(contains, metrics, "\"tokens_per_s\":");
  EXPECT_PRED2(contains, metrics, "\"mfu\":");
  EXPECT_PRED2(contains, metrics, "\"validation_loss\":");
  const std::string training = read_file(stage / "training.toml");
  for (const char* key : {"steps = 12", "tokens = ", "flops = ", "hours = ", "seed = 0"})
    EXPECT_PRED2(contains, training, key);
  const std::string exported = read_file(stage / "export" / "encoder.json");
  EXPECT_PRED2(contains, exported, "\"name\":\"crammed_bert\"");
  EXPECT_PRED2(contains, exported, "\"normalizer\":\"crammed\"");
  EXPECT_PRED2(contains, read_file(stage / "loss.svg"), "<svg");
}

TEST_F(PretrainStageTest, AVocabularySizeThatDiffersFromTheDataNamesTheKey) {
  std::string experiment = std::string(kData) + kPretrain;
  experiment.replace(experiment.find("layers = 1"), 10, "layers = 1, vocab_size = 500");
  const auto result = run(experiment);
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "stages.pretrain.model.vocab_size");
  EXPECT_PRED2(contains, result.err, "has 2000 tokens");
}

TEST_F(PretrainStageTest, RowsLongerThanTheModelsPositionsAreRefused) {
  std::string experiment = std::string(kData) + kPretrain;
  experiment.replace(experiment.find("max_positions = 32"), 18, "max_positions = 16");
  const auto result = run(experiment);
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "x.toml");
  EXPECT_PRED2(contains, result.err, "stages.pretrain.model.max_positions");
}

TEST_F(PretrainStageTest, WithoutAPrepareInputTheStageSaysWhatItNeeds) {
  std::string pretrain = kPretrain;
  pretrain.replace(pretrain.find("inputs = [\"data\"]\n"), 18, "");
  const auto result = run(std::string("[experiment]\nname = \"p\"\n") + pretrain);
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "prepare");
}

TEST_F(PretrainStageTest, AnUnknownScheduleIsReportedBeforeAnythingRuns) {
  const auto result =
      run(std::string(kData) + kPretrain + "schedule = { name = \"triangel\" }\n", {"--dry-run"});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "triangel");
  EXPECT_PRED2(contains, result.err, "triangle");
}

TEST_F(PretrainStageTest, BatchSizeBelowTheMicroBatchNamesTheKey) {
  const auto result =
      run(std::string(kData) + kPretrain, {"--set", "stages.pretrain.batch_size=4"});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "batch_size");
}

}  // namespace
