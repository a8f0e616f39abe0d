// DACBERT on GLUE as users run it: the prepare stage records the annotator it used, the pretrain
// stage keeps a copy beside its checkpoints, and `dacrun glue` annotates the task sentences with
// it, so the model fine-tunes with its agreement embeddings and can be scored with a type zeroed.
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

// Prepared data with "previous_word" chunks and a tiny dacbert pretrained on them.
std::string experiment() {
  return dac::test::annotated_data_experiment("dacglue", 2, DAC_TEST_PLUGIN_DIR) + R"(
[[stages]]
name = "pretrain"
kind = "pretrain"
inputs = ["data"]
budget_unit = "steps"
budget = 2
micro_batch = 4
batch_size = 4
threads = 1

[stages.model]
name = "dacbert"
layers = 1
hidden = 32
heads = 2
intermediate = 64
max_positions = 32
agreement_types = ["previous_word"]
submodel = { name = "chunk_transformer", hidden = 16, layers = 1, heads = 2, intermediate = 32, max_positions = 8 }
)";
}

// CoLA's layout (no header) with sentences of the corpus' words.
void write_cola(const fs::path& folder) {
  const char* sentences[] = {"the cat sat on a mat", "dogs run fast today", "a cat run",
                             "the dogs sat today"};
  for (const char* file : {"train.tsv", "dev.tsv"}) {
    std::string text;
    for (int row = 0; row < 12; ++row)
      text += "gen\t" + std::to_string(row % 2) + "\t\t" + sentences[row % 4] + "\n";
    write_file(folder / file, text);
  }
}

fs::path stage_dir(const fs::path& root, const std::string& kind) {
  for (const auto& entry : fs::directory_iterator(root / "runs" / "stages"))
    if (entry.path().filename().string().starts_with(kind + "-")) return entry.path();
  return {};
}

TEST(DacBertGlue, FineTunesWithTheAnnotatorOfItsPretrainingData) {
  dac::test::TempDir dir;
  write_file(dir / "corpus" / "a.txt", dac::test::ten_word_corpus(60));
  write_file(dir / "x.toml", experiment());
  const auto pretrained = run_dacrun({"run", "x.toml", "-q"}, dir.path());
  ASSERT_EQ(pretrained.exit_code, 0) << pretrained.out << pretrained.err;
  const fs::path prepare = stage_dir(dir.path(), "prepare");
  const fs::path pretrain = stage_dir(dir.path(), "pretrain");
  ASSERT_TRUE(fs::exists(prepare / "annotator.toml"));
  const std::string annotator = read_file(prepare / "annotator.toml");
  EXPECT_PRED2(contains, annotator, "agreements");
  EXPECT_PRED2(contains, annotator, "whitespace");
  EXPECT_PRED2(contains, annotator, "previous_word");
  ASSERT_TRUE(fs::exists(pretrain / "annotator.toml"));
  EXPECT_EQ(read_file(pretrain / "annotator.toml"), annotator);

  write_cola(dir / "glue" / "CoLA");
  const auto glue = run_dacrun({"glue",
                                "--model",
                                pretrain.string(),
                                "--tasks",
                                "cola",
                                "--glue-root",
                                (dir / "glue").string(),
                                "--out",
                                (dir / "eval").string(),
                                "--seeds",
                                "1",
                                "--plugin",
                                std::string(DAC_TEST_PLUGIN_DIR) + "/annotator",
                                "--set",
                                "epochs=1",
                                "--set",
                                "threads=1",
                                "--set",
                                "device=cpu",
                                "--set",
                                "zero_agreement_types=true"},
                               dir.path());
  ASSERT_EQ(glue.exit_code, 0) << glue.out << glue.err;
  EXPECT_PRED2(contains, glue.err, "cola train: agreement chunks of 12 examples: previous_word");
  EXPECT_PRED2(contains, glue.err, "with agreement type previous_word zeroed");
  EXPECT_TRUE(fs::exists(dir / "eval" / "runs" / "cola" / "agreements-validation.tsv"));
  EXPECT_PRED2(contains,
               read_file(dir / "eval" / "runs" / "cola" / "seed-0" / "validation.results.json"),
               "\"zeroed\":");
  EXPECT_PRED2(contains, glue.out, "Agreement types zeroed at evaluation");

  // Probing annotates the scored sentences the same way, so the agreement embeddings are on.
  write_file(dir / "pairs.jsonl",
             "{\"sentence_good\": \"the cat sees the dog .\", \"sentence_bad\": \"the cat see the "
             "dog .\", \"linguistics_term\": \"subject_verb_agreement\", \"UID\": \"u\", "
             "\"pairID\": \"0\"}\n");
  const auto probe = run_dacrun({"probe", "--model", pretrain.string(), "--pairs", "pairs.jsonl",
                                 "--plugin", std::string(DAC_TEST_PLUGIN_DIR) + "/annotator",
                                 "--device", "cpu", "--threads", "1", "--output", "probe.json"},
                                dir.path());
  ASSERT_EQ(probe.exit_code, 0) << probe.out << probe.err;
  EXPECT_FALSE(contains(probe.err, "its agreement embeddings are off")) << probe.err;
  const std::string probed = read_file(dir / "probe.json");
  EXPECT_TRUE(contains(probed, "\"agreement_embeddings\": \"on\"") ||
              contains(probed, "\"agreement_embeddings\":\"on\""))
      << probed.substr(0, 300);

  // Without the recorded annotator the model is refused, naming it.
  fs::remove(pretrain / "annotator.toml");
  const auto refused = run_dacrun({"glue", "--model", pretrain.string(), "--tasks", "cola",
                                   "--glue-root", (dir / "glue").string(), "--out",
                                   (dir / "eval2").string(), "--seeds", "1", "--set", "epochs=1"},
                                  dir.path());
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_PRED2(contains, refused.err, "recorded no annotator");
  EXPECT_PRED2(contains, refused.err, pretrain.filename().string());
}

TEST(DacBertGlue, TheGlueStageReadsGlueRootRelativeToTheExperimentFile) {
  // The experiment file lives in exp/ and names its data relative to itself; dacrun runs from
  // the folder above, so a glue_root taken from the current folder would not be found.
  dac::test::TempDir dir;
  write_file(dir / "exp" / "corpus" / "a.txt", dac::test::ten_word_corpus(60));
  write_cola(dir / "exp" / "glue" / "CoLA");
  write_file(dir / "exp" / "x.toml", experiment() + R"(
[[stages]]
name = "glue"
kind = "glue"
inputs = ["pretrain"]
glue_root = "glue"
seeds = 1
epochs = 1
threads = 1
tasks = { cola = {} }
)");
  const auto result = run_dacrun({"run", "exp/x.toml", "-q"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  // The fine-tuning seed is the experiment's: 2.
  EXPECT_TRUE(fs::exists(stage_dir(dir.path(), "glue") / "runs" / "cola" / "seed-2" /
                         "validation.results.json"))
      << result.out;
}

}  // namespace
