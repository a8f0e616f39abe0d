// GLUE fine-tuning: example pairs as model inputs, a tiny Crammed BERT fine-tuned on a generated
// task (where it must beat the majority class) and on RTE, results files, resuming, and the
// refusal of a mismatched vocabulary.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <random>
#include <string>

#include "dac/error.hpp"
#include "dac/finetune/glue_evaluation.hpp"
#include "dac/finetune/glue_inputs.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/plugin_host.hpp"
#include "dac/train/compute.hpp"
#include "support/test_support.hpp"
#include "tiny_pretrained.hpp"

namespace dac::finetune {
namespace {

namespace fs = std::filesystem;
using test::contains;

const std::vector<std::string> kWords = {"the", "cat", "dog", "sees", "a",   "bird", "runs",
                                         "red", "big", "old", "good", "bad", "and"};

std::string vocab_text() {
  return test::bert_vocab_text(kWords);
}

// An acceptability task in CoLA's layout (no header): a sentence is "acceptable" when it holds
// the word "good"; 60 % of the examples are not, so the majority class scores 60 %.
void write_generated_task(const fs::path& folder, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  const std::vector<std::string> filler = {"the",  "cat",  "dog", "sees", "a",
                                           "bird", "runs", "red", "big",  "old"};
  for (const auto& [file, count] : {std::pair{"train.tsv", 500}, std::pair{"dev.tsv", 200}}) {
    std::string text;
    for (int row = 0; row < count; ++row) {
      const bool good = row % 5 < 2;
      std::vector<std::string> words;
      for (int w = 0; w < 6; ++w) words.push_back(filler[random() % filler.size()]);
      words.insert(words.begin() + static_cast<std::ptrdiff_t>(random() % 6),
                   good ? "good" : "bad");
      std::string sentence;
      for (const std::string& word : words) sentence += (sentence.empty() ? "" : " ") + word;
      text += "gen\t" + std::string(good ? "1" : "0") + "\t\t" + sentence + ".\n";
    }
    test::write_file(folder / file, text);
  }
}

class GlueFinetune : public ::testing::Test {
 protected:
  void SetUp() override {
    host.load_library(fs::path(DAC_PLUGIN_DIR) / "dac_models.so");
    host.load_library(fs::path(DAC_PLUGIN_DIR) / "dac_glue_tasks.so");
    const ConfigNode model =
        test::tiny_encoder_table("crammed_bert", 5 + static_cast<std::int64_t>(kWords.size()), 128);
    torch::manual_seed(0);
    std::shared_ptr<Encoder> encoder = host.create<Encoder>(model, "model");
    checkpoint = test::save_pretrain_checkpoint(dir / "pretrain", *encoder, vocab_text());
    write_generated_task(dir / "tasks" / "acceptability", 7);

    compute = test::one_cpu_thread();
  }

  GlueEvaluationOptions generated_task(std::vector<std::uint64_t> seeds) const {
    ConfigNode tasks = ConfigNode::table();
    ConfigNode acceptability = ConfigNode::table();
    acceptability.set("name", ConfigNode::string("cola"));
    acceptability.set("folder", ConfigNode::string("acceptability"));
    tasks.set("acceptability", acceptability);
    GlueEvaluationOptions options;
    options.tasks = glue_task_choices(tasks, "tasks", (dir / "tasks").string());
    options.seeds = std::move(seeds);
    // The encoder is freshly initialised (weights of scale 0.02), so it needs a larger step than
    // the GLUE default to learn the task in a few epochs.
    options.settings.learning_rate = 3e-3;
    options.settings.epochs = 4;
    return options;
  }

  test::TempDir dir;
  PluginHost host;
  fs::path checkpoint;
  train::Compute compute;
};

TEST_F(GlueFinetune, PairsBecomeClsASepBSepTruncatedLongestFirst) {
  const text::Vocab vocab = text::Vocab::load([&] {
    test::write_file(dir / "vocab.txt", vocab_text());
    return dir / "vocab.txt";
  }());
  const GlueTokenizer tokenizer(vocab, "crammed", 8);
  const EncodedExample pair =
      tokenizer.encode({.sentence_a = "the big red dog runs", .sentence_b = "a cat", .label = 1});
  // 8 = [CLS] + 3 + [SEP] + 2 + [SEP]: the longer sentence lost its last two words.
  ASSERT_EQ(pair.ids.size(), 8u);
  EXPECT_TRUE(pair.truncated);
  EXPECT_EQ(pair.ids.front(), vocab.cls());
  EXPECT_EQ(pair.ids[1], vocab.id("the"));
  EXPECT_EQ(pair.ids[4], vocab.sep());
  EXPECT_EQ(pair.ids[5], vocab.id("a"));
  EXPECT_EQ(pair.ids.back(), vocab.sep());
  EXPECT_EQ(std::vector<std::int8_t>(pair.segments.begin(), pair.segments.begin() + 5),
            std::vector<std::int8_t>(5, 0));
  EXPECT_EQ(pair.segments[5], 1);
  const EncodedExample single = tokenizer.encode({.sentence_a = "a cat", .label = 0});
  EXPECT_EQ(single.ids,
            (std::vector<std::int32_t>{vocab.cls(), vocab.id("a"), vocab.id("cat"), vocab.sep()}));
  EXPECT_FALSE(single.truncated);

  // Batches: every example once, padded to the longest row, the mask marking real tokens.
  std::vector<EncodedExample> examples;
  for (int n = 1; n <= 37; ++n) {
    EncodedExample example;
    example.ids.assign(static_cast<std::size_t>(n % 9 + 2), vocab.id("cat"));
    example.segments.assign(example.ids.size(), 0);
    example.label = n % 2;
    examples.push_back(example);
  }
  std::mt19937_64 shuffle(3);
  std::vector<int> seen(examples.size(), 0);
  for (const auto& indices : length_bucketed_batches(examples, 5, &shuffle)) {
    EXPECT_LE(indices.size(), 5u);
    for (std::size_t index : indices) ++seen[index];
    const Batch batch = collate(examples, indices, vocab.pad(), /*regression=*/false);
    std::size_t longest = 0;
    for (std::size_t index : indices) longest = std::max(longest, examples[index].ids.size());
    EXPECT_EQ(batch.seq_len(), static_cast<std::int64_t>(longest));
    EXPECT_EQ(batch.attention_mask.sum().item<std::int64_t>(),
              batch.input_ids.ne(vocab.pad()).sum().item<std::int64_t>());
    EXPECT_EQ(batch.labels.scalar_type(), torch::kInt64);
  }
  EXPECT_EQ(seen, std::vector<int>(examples.size(), 1));
}

TEST_F(GlueFinetune, BeatsTheMajorityClassOnAGeneratedTaskAndResumes) {
  const PretrainedModel model = locate_pretrained_model(dir / "pretrain");
  EXPECT_EQ(model.label, "pretrain");
  const fs::path out = dir / "glue";
  const auto runs = run_glue_evaluation(model, host, generated_task({0, 1}), out, compute);
  ASSERT_EQ(runs.size(), 2u);
  for (const glue::GlueRunResult& run : runs) {
    EXPECT_EQ(run.task, "acceptability");
    EXPECT_EQ(run.split, "validation");
    EXPECT_EQ(run.headline, "matthews");
    EXPECT_EQ(run.predictions.size(), 200u);
    EXPECT_EQ(run.curve.size(), 4u);
    // The majority class (all "unacceptable") scores 60 % accuracy and a Matthews correlation of
    // 0; the word "good" decides the label, so a fine-tuned model does much better.
    EXPECT_GT(run.metrics.at("matthews"), 50) << "seed " << run.finetune_seed;
    double correct = 0;
    for (std::size_t i = 0; i < run.gold.size(); ++i) correct += run.predictions[i] == run.gold[i];
    EXPECT_GT(correct / 200.0, 0.75);
  }
  // Both seeds may well score every dev example right; their training differs all the same.
  EXPECT_NE(runs[0].curve.front().train_loss, runs[1].curve.front().train_loss) << "seeds differ";
  const fs::path first = out / "acceptability" / "seed-0" / "validation.results.json";
  ASSERT_TRUE(fs::exists(first));
  EXPECT_EQ(glue::read_glue_run_result(first).metrics, runs[0].metrics);

  // A second evaluation reads the finished runs back instead of training again.
  const auto written = fs::last_write_time(first);
  const auto again = run_glue_evaluation(model, host, generated_task({0, 1}), out, compute);
  EXPECT_EQ(fs::last_write_time(first), written);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].predictions, runs[0].predictions);
}

TEST_F(GlueFinetune, SameSeedSameResult) {
  const PretrainedModel model = locate_pretrained_model(checkpoint);
  auto options = generated_task({3});
  options.settings.epochs = 1;
  const auto a = run_glue_evaluation(model, host, options, dir / "a", compute);
  const auto b = run_glue_evaluation(model, host, options, dir / "b", compute);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].predictions, b[0].predictions);
  EXPECT_EQ(a[0].curve.front().train_loss, b[0].curve.front().train_loss);
}

TEST_F(GlueFinetune, FineTunesOnRte) {
  const auto data = test::test_data_dir();
  if (!data) GTEST_SKIP() << "needs the real data folder (DAC_TEST_DATA)";
  // The tiny vocabulary turns most of RTE into [UNK]: this checks that the real files flow
  // through training and scoring, not the score.
  ConfigNode rte = ConfigNode::table();
  rte.set("max_examples", ConfigNode::integer(48));
  ConfigNode tasks = ConfigNode::table();
  tasks.set("rte", rte);
  GlueEvaluationOptions options;
  options.tasks = glue_task_choices(tasks, "tasks", (*data / "glue").string());
  options.seeds = {0};
  options.settings.epochs = 1;
  const auto runs =
      run_glue_evaluation(locate_pretrained_model(checkpoint), host, options, dir / "rte", compute);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].task, "rte");
  EXPECT_EQ(runs[0].predictions.size(), 48u);
  EXPECT_GE(runs[0].metrics.at("accuracy"), 0);
  EXPECT_LE(runs[0].metrics.at("accuracy"), 100);
}

TEST_F(GlueFinetune, RefusesAModelOfAnotherVocabulary) {
  test::write_file(dir / "other_vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\ncow\n");
  auto options = generated_task({0});
  options.vocab = (dir / "other_vocab.txt").string();
  const std::string message = test::error_of<UserError>([&] {
    run_glue_evaluation(locate_pretrained_model(checkpoint), host, options, dir / "x", compute);
  });
  EXPECT_PRED2(contains, message, "vocabulary differs");
  EXPECT_PRED2(contains, message, "'cat' against 'cow'");
}

TEST_F(GlueFinetune, NamesWhatItLookedForWhenTheModelIsMissing) {
  EXPECT_PRED2(contains,
               test::error_of<UserError>([&] { locate_pretrained_model(dir.path() / "tasks"); }),
               "neither a checkpoint file");
  EXPECT_PRED2(contains, test::error_of<UserError>([&] { locate_pretrained_model(dir / "none"); }),
               "does not exist");
}

}  // namespace
}  // namespace dac::finetune
