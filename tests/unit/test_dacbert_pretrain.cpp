// DACBERT's stage 2 as users run it through dacrun: a dacbert encoder pretrains on prepared data
// whose annotation sidecars give each batch its agreement chunks, and data without the chunk type
// the model reads is refused with the types it has.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;
using dac::test::read_file;
using dac::test::run_dacrun;
using dac::test::write_file;

// Prepared data with "previous_word" chunks, the given stages, then a dacbert pretrain stage.
std::string experiment(const std::string& agreement_types, const std::string& more_stages,
                       const std::string& pretrain_inputs, const std::string& pretrain_budget) {
  return dac::test::annotated_data_experiment("dac", 4, DAC_TEST_PLUGIN_DIR) + R"(
)" + more_stages +
         R"(
[[stages]]
name = "pretrain"
kind = "pretrain"
inputs = )" +
         pretrain_inputs + "\n" + pretrain_budget + R"(
micro_batch = 4
batch_size = 8
log_every = 2
validate_every = 3
threads = 1

[stages.model]
name = "dacbert"
layers = 1
hidden = 32
heads = 2
intermediate = 64
max_positions = 16
agreement_types = )" +
         agreement_types + R"(
submodel = { name = "chunk_transformer", hidden = 16, layers = 1, heads = 2, intermediate = 32, max_positions = 8 }

)";
}

// Stage 1: the submodels of the given types trained on the prepared chunks, for 30 steps or as
// `budget` says.
std::string stage_one(const std::string& agreement_types,
                      const std::string& budget = "budget = 30") {
  return R"(
[[stages]]
name = "submodels"
kind = "agreement_submodels"
inputs = ["data"]
agreement_types = )" +
         agreement_types + R"(
submodel = { name = "chunk_transformer", hidden = 16, layers = 1, heads = 2, intermediate = 32, max_positions = 8 }
)" + budget +
         R"(
batch_chunks = 16
learning_rate = 3e-3
log_every = 10
threads = 1
)";
}

constexpr const char* kSixSteps = "budget_unit = \"steps\"\nbudget = 6";

class DacBertPretrain : public ::testing::Test {
 protected:
  dac::test::CommandResult run(const std::string& agreement_types,
                               const std::string& more_stages = "",
                               const std::string& pretrain_inputs = R"(["data"])",
                               const std::string& pretrain_budget = kSixSteps) {
    write_file(dir_ / "corpus" / "a.txt", dac::test::ten_word_corpus(80));
    write_file(dir_ / "x.toml",
               experiment(agreement_types, more_stages, pretrain_inputs, pretrain_budget));
    return run_dacrun({"run", "x.toml", "-q"}, dir_.path());
  }
  fs::path stage_dir(const std::string& kind) {
    for (const auto& entry : fs::directory_iterator(dir_ / "runs" / "stages"))
      if (entry.path().filename().string().starts_with(kind + "-")) return entry.path();
    return {};
  }
  dac::test::TempDir dir_;
};

TEST_F(DacBertPretrain, TrainsWithTheAgreementChunksOfThePreparedData) {
  const auto result = run(R"(["previous_word"])");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const fs::path stage = stage_dir("pretrain");
  ASSERT_FALSE(stage.empty());
  EXPECT_PRED2(contains, read_file(stage / "training.toml"), "steps = 6");
  const std::string encoder = read_file(stage / "export" / "encoder.json");
  EXPECT_PRED2(contains, encoder, "dacbert");
  EXPECT_PRED2(contains, encoder, "previous_word");
  EXPECT_PRED2(contains, read_file(stage / "metrics.jsonl"), "\"validation_loss\":");
  EXPECT_PRED2(contains, read_file(stage / "log.txt"), "keep their random initial weights");
}

TEST_F(DacBertPretrain, DataWithoutTheModelsAgreementTypeIsRefused) {
  const auto result = run(R"(["previous_word", "subject_verb"])");
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "train-00000.chunks");
  EXPECT_PRED2(contains, result.err, "'subject_verb'");
  EXPECT_PRED2(contains, result.err, "it has: previous_word");
}

TEST_F(DacBertPretrain, StageOneTrainsASubmodelPerTypeOnThePreparedChunks) {
  // Stage 2 takes the trained submodels from stage 1.
  std::string stages = stage_one(R"(["previous_word"])");
  const auto result = run(R"(["previous_word"])", stages, R"(["data", "submodels"])");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const fs::path stage = stage_dir("agreement_submodels");
  ASSERT_FALSE(stage.empty());
  EXPECT_TRUE(fs::exists(stage / "submodels.ckpt"));
  const std::string log = read_file(stage / "log.txt");
  EXPECT_PRED2(contains, log, "previous_word: ");
  // The loss inside the chunks falls from about ln(vocabulary) as the submodel learns.
  const std::string record = read_file(stage / "stage.toml");
  EXPECT_PRED2(contains, record, "loss_previous_word");
  EXPECT_PRED2(contains, read_file(stage_dir("pretrain") / "log.txt"),
               "agreement submodels loaded from stage submodels");
}

TEST_F(DacBertPretrain, TheTwoStagesSplitOneFlopBudget) {
  // Stage 1 takes a quarter of the total; stage 2 gets what stage 1 left, and the training record
  // (what the GLUE tables show) counts both stages.
  const double total = 4e8;
  const std::string split = "budget_unit = \"flops\"\nbudget = 4e8\nbudget_share = 0.25";
  const auto result = run(R"(["previous_word"])", stage_one(R"(["previous_word"])", split),
                          R"(["data", "submodels"])", "budget_unit = \"flops\"\nbudget = 4e8");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const dac::ConfigNode one = dac::parse_toml_file(stage_dir("agreement_submodels") / "stage.toml");
  const dac::ConfigNode* one_result = one.find("result");
  ASSERT_NE(one_result, nullptr);
  const double one_flops = one_result->find("flops")->as_float();
  EXPECT_GE(one_flops, 0.25 * total);
  EXPECT_LT(one_flops, 0.3 * total);

  const dac::ConfigNode training = dac::parse_toml_file(stage_dir("pretrain") / "training.toml");
  EXPECT_DOUBLE_EQ(training.find("budget")->as_float(), total - one_flops);
  const double two_flops = training.find("stage_two")->find("flops")->as_float();
  EXPECT_GE(two_flops, total - one_flops);
  EXPECT_DOUBLE_EQ(training.find("stage_one")->find("flops")->as_float(), one_flops);
  EXPECT_DOUBLE_EQ(training.find("flops")->as_float(), one_flops + two_flops);
  // Stage 2 stops at the first step that reaches its share: well within one step of the total.
  const double steps = static_cast<double>(training.find("steps")->as_int());
  EXPECT_LT(one_flops + two_flops - total, two_flops / steps * 1.5);
}

TEST_F(DacBertPretrain, StagesThatDisagreeOnTheTotalBudgetAreRefused) {
  const auto result =
      run(R"(["previous_word"])",
          stage_one(R"(["previous_word"])", "budget_unit = \"flops\"\nbudget = 4e8"),
          R"(["data", "submodels"])", "budget_unit = \"flops\"\nbudget = 8e8");
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "stages.pretrain.budget is 8e+08 flops");
  EXPECT_PRED2(contains, result.err, "stage 'submodels' took its share of a 4e+08 flops total");
}

TEST_F(DacBertPretrain, StageOneNamesATypeTheDataLacks) {
  const auto result = run(R"(["previous_word"])", stage_one(R"(["previous_word", "verb_object"])"));
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "'verb_object'");
}

TEST(DacBertBench, MeasuresTrainingWithRandomAgreementChunks) {
  const std::vector<std::string> tiny = dac::test::tiny_bench_pretrain_args("dacbert");
  const auto result = run_dacrun(tiny);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_PRED2(contains, result.out, "bench pretrain dacbert layers=1 hidden=32");
  std::vector<std::string> bad = tiny;
  bad.insert(bad.end(), {"--chunks-per-row", "-1"});
  EXPECT_EQ(run_dacrun(bad).exit_code, 2);
}

}  // namespace
