// The built-in parser end to end through dacrun: a synthetic treebank, a tiny parser trained by the
// train_parser stage, `dacrun parse` on gold and on raw text, `dacrun eval-parser`, and the
// refusal of model files it cannot read.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "dac/safetensors.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;
using dac::test::read_file;
using dac::test::run_dacrun;
using dac::test::write_file;

const char* kExperiment = R"([experiment]
name = "parser"

[[stages]]
name = "treebank"
kind = "synthetic_treebank"
train_sentences = 600
dev_sentences = 120

[[stages]]
name = "parser"
kind = "train_parser"
inputs = ["treebank"]
preset = "fast"
threads = 1
settings = { epochs = 6, batch_words = 100, word_dim = 32, affix_dim = 32, lstm_layers = 2, lstm_hidden = 64, arc_dim = 64, label_dim = 32, tag_hidden = 32 }
)";

// One experiment run shared by the tests of this file (training takes a few seconds).
class ParserCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new dac::test::TempDir();
    write_file(*dir_ / "parser.toml", kExperiment);
    run_ = new dac::test::CommandResult(run_dacrun({"run", "parser.toml", "-q"}, dir_->path()));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete dir_;
  }
  static fs::path stage_dir(const std::string& kind) {
    for (const auto& entry : fs::directory_iterator(*dir_ / "runs" / "stages"))
      if (entry.path().filename().string().rfind(kind + "-", 0) == 0) return entry.path();
    return {};
  }
  static double metric(const std::string& table, const std::string& name) {
    std::smatch match;
    const std::regex line(name + R"(\s*\|\s*[0-9.]+\s*\|\s*[0-9.]+\s*\|\s*([0-9.]+))");
    if (!std::regex_search(table, match, line)) return -1;
    return std::stod(match[1]);
  }
  static dac::test::TempDir* dir_;
  static dac::test::CommandResult* run_;
};

dac::test::TempDir* ParserCli::dir_ = nullptr;
dac::test::CommandResult* ParserCli::run_ = nullptr;

TEST_F(ParserCli, TheStageTrainsAModelThatParsesTheSyntheticDevSet) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const fs::path model = stage_dir("train_parser") / "parser.model";
  const fs::path dev = stage_dir("synthetic_treebank") / "dev.conllu";
  ASSERT_TRUE(fs::exists(model));
  const auto parsed =
      run_dacrun({"parse", "--model", model.string(), "--input", dev.string(), "--format", "conllu",
                  "--output", (*dir_ / "dev.parsed").string()});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_PRED2(contains, parsed.err, "words/s");
  const auto scored = run_dacrun(
      {"eval-parser", "--gold", dev.string(), "--system", (*dir_ / "dev.parsed").string()});
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  // The synthetic grammar is small: even this tiny parser learns most of it in six epochs.
  EXPECT_GT(metric(scored.out, "UPOS"), 90) << scored.out;
  EXPECT_GT(metric(scored.out, "UAS"), 80) << scored.out;
  EXPECT_GT(metric(scored.out, "LAS"), 75) << scored.out;
  EXPECT_DOUBLE_EQ(metric(scored.out, "Words"), 100) << scored.out;
}

TEST_F(ParserCli, RawTextIsSegmentedAndParsed) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const fs::path model = stage_dir("train_parser") / "parser.model";
  const fs::path dev = stage_dir("synthetic_treebank") / "dev.conllu";
  const auto parsed =
      run_dacrun({"parse", "--model", model.string(), "--input", dev.string(), "--format",
                  "conllu-text", "--threads", "2", "--output", (*dir_ / "raw.parsed").string()});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  const auto scored = run_dacrun(
      {"eval-parser", "--gold", dev.string(), "--system", (*dir_ / "raw.parsed").string()});
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  EXPECT_GT(metric(scored.out, "Tokens"), 95) << scored.out;
  EXPECT_GT(metric(scored.out, "LAS"), 60) << scored.out;
}

TEST_F(ParserCli, AModelOfAnotherFormatVersionIsRefused) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const fs::path model = stage_dir("train_parser") / "parser.model";
  dac::SafetensorsFile file = dac::read_safetensors(model);
  std::vector<dac::SafetensorsEntry> entries;
  for (const auto& [name, info] : file.tensors)
    entries.push_back({name, info.dtype, info.shape, file.data.data() + info.begin,
                       static_cast<std::size_t>(info.end - info.begin)});
  file.metadata["format_version"] = "999";
  const fs::path future = *dir_ / "future.model";
  dac::write_safetensors(future, entries, file.metadata);
  write_file(*dir_ / "one.txt", "The cat sleeps.\n");
  const auto result =
      run_dacrun({"parse", "--model", future.string(), "--input", (*dir_ / "one.txt").string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "future.model: parser model format version 999");
  EXPECT_PRED2(contains, result.err, "reads version 1");
}

TEST(ParserCliInput, AFileThatIsNoModelIsRefused) {
  const dac::test::TempDir dir;
  write_file(dir / "not.model", "hello");
  write_file(dir / "one.txt", "The cat sleeps.\n");
  const auto result = run_dacrun(
      {"parse", "--model", (dir / "not.model").string(), "--input", (dir / "one.txt").string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "not.model");
}

TEST(ParserCliInput, TrainParserNamesABadSetting) {
  const auto result = run_dacrun({"train-parser", "--train", "x.conllu", "--dev", "y.conllu",
                                  "--out", "m", "--set", "lstm_layerz=2"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "lstm_layerz");
}

TEST(ParserCliInput, TrainParserHelpListsEverySettingWithItsMeaning) {
  const auto result = run_dacrun({"train-parser", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_PRED2(contains, result.out, "  lstm_hidden: LSTM width per direction\n");
  EXPECT_PRED2(contains, result.out, "  seed: random seed of initialisation, dropout and batch order\n");
}

}  // namespace
