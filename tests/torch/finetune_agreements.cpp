// DACBERT fine-tuning with its agreement embeddings: the task sentences are annotated with the
// pretraining data's annotator (the test annotator `next_word`: "the" + the next wordpiece is a
// determiner_next chunk), the chunks land on the right positions of [CLS] A [SEP] B [SEP] with
// and without truncation, each split's chunks are cached and rebuilt when stale, a tiny dacbert
// fine-tunes with them in every batch, and a type can be zeroed at evaluation.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <random>
#include <set>
#include <string>

#include "dac/error.hpp"
#include "dac/finetune/glue_agreements.hpp"
#include "dac/finetune/glue_evaluation.hpp"
#include "dac/finetune/glue_inputs.hpp"
#include "dac/glue/glue_report.hpp"
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
                                         "red", "big", "old", "good", "bad", "on"};

std::string vocab_text() {
  return test::bert_vocab_text(kWords);
}

// An acceptability task in CoLA's layout: a sentence is acceptable when it holds "good".
void write_generated_task(const fs::path& folder, int train_rows, int dev_rows) {
  std::mt19937_64 random(11);
  // No "the" among them: every sentence has exactly one chunk, at its start.
  const std::vector<std::string> filler = {"cat",  "dog", "sees", "a",  "bird",
                                           "runs", "red", "big",  "old"};
  for (const auto& [file, count] :
       {std::pair{"train.tsv", train_rows}, std::pair{"dev.tsv", dev_rows}}) {
    std::string text;
    for (int row = 0; row < count; ++row) {
      const bool good = row % 5 < 2;
      std::string sentence = "the";
      for (int w = 0; w < 5; ++w) sentence += " " + filler[random() % filler.size()];
      sentence += good ? " good" : " bad";
      text += "gen\t" + std::string(good ? "1" : "0") + "\t\t" + sentence + "\n";
    }
    test::write_file(folder / file, text);
  }
}

ConfigNode tiny_dacbert(const std::string& agreement_type) {
  return test::tiny_dacbert_table({agreement_type}, 5 + static_cast<std::int64_t>(kWords.size()),
                                  64);
}

class GlueAgreementsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host.load_library(fs::path(DAC_PLUGIN_DIR) / "dac_models.so");
    host.load_library(fs::path(DAC_PLUGIN_DIR) / "dac_glue_tasks.so");
    host.load_library(fs::path(DAC_TEST_PLUGIN_DIR) / "annotator" / "dac_test_annotator.so");
    test::write_file(dir / "vocab.txt", vocab_text());
    vocab = std::make_unique<text::Vocab>(text::Vocab::load(dir / "vocab.txt"));
    save_model(dir / "pretrain", "determiner_next");
    write_generated_task(dir / "tasks" / "acceptability", 60, 30);
    compute = test::one_cpu_thread();
  }

  // A pretrain stage folder: a dacbert checkpoint reading `type` and the annotator.toml that the
  // pretrain stage copies from its prepared data.
  void save_model(const fs::path& stage, const std::string& type) {
    torch::manual_seed(0);
    std::shared_ptr<Encoder> encoder = host.create<Encoder>(tiny_dacbert(type), "model");
    test::save_pretrain_checkpoint(stage, *encoder, vocab_text());
    test::write_file(stage / "annotator.toml", "name = \"next_word\"\n");
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
    options.settings.epochs = 1;
    options.settings.batch_size = 8;
    options.settings.learning_rate = 1e-3;
    return options;
  }

  // The chunks of one example, as (controller, target, members) of positions.
  SplitAgreements annotate(const GlueExample& example, std::size_t max_length,
                           EncodedExample* encoded_out = nullptr) {
    const GlueTokenizer tokenizer(*vocab, "crammed", max_length);
    const std::vector<GlueExample> examples = {example};
    const std::vector<EncodedExample> encoded = tokenizer.encode(examples);
    if (encoded_out) *encoded_out = encoded.front();
    ConfigNode table = ConfigNode::table();
    table.set("name", ConfigNode::string("next_word"));
    std::shared_ptr<text::DocumentAnnotator> annotator =
        host.create<text::DocumentAnnotator>(table, "annotator");
    annotator->open(host, "annotator");
    return annotate_examples(*annotator, tokenizer, examples, encoded);
  }

  test::TempDir dir;
  PluginHost host;
  std::unique_ptr<text::Vocab> vocab;
  train::Compute compute;
};

std::vector<std::vector<std::uint32_t>> members_of(const SplitAgreements& chunks,
                                                   const std::string& type) {
  std::vector<std::vector<std::uint32_t>> members;
  for (const ExampleChunk& chunk : chunks.examples.at(0))
    if (chunks.types.at(chunk.type) == type) members.push_back(chunk.members);
  return members;
}

TEST_F(GlueAgreementsTest, ChunksLandOnTheTokensOfBothSentences) {
  EncodedExample encoded;
  const SplitAgreements chunks = annotate(
      {.sentence_a = "the cat runs on a bird", .sentence_b = "a dog sees the bird"}, 64, &encoded);
  // [CLS] the cat runs on a bird [SEP] a dog sees the bird [SEP]
  //   0    1   2   3   4  5  6     7   8  9   10  11   12   13
  ASSERT_EQ(encoded.ids.size(), 14u);
  EXPECT_EQ(members_of(chunks, "determiner_next"),
            (std::vector<std::vector<std::uint32_t>>{{1, 2}, {11, 12}}));
  EXPECT_EQ(members_of(chunks, "preposition_next"),
            (std::vector<std::vector<std::uint32_t>>{{4, 5}}));
  for (const ExampleChunk& chunk : chunks.examples[0]) {
    // The target is the "the"/"on" itself, the controller the wordpiece after it.
    EXPECT_EQ(chunk.target, chunk.members.front());
    EXPECT_EQ(chunk.controller, chunk.members.back());
    const std::int32_t target = encoded.ids[chunk.target];
    EXPECT_TRUE(target == vocab->id("the") || target == vocab->id("on")) << chunk.target;
  }
  EXPECT_EQ(encoded.ids[12], vocab->id("bird"));
}

TEST_F(GlueAgreementsTest, TruncationDropsChunksThatLostTheirControllerOrTarget) {
  // Room for 5 pieces of the pair: A "the big dog runs the cat" is cut to "the big dog"
  // (longest first), B "the bird" stays: [CLS] the big dog [SEP] the bird [SEP].
  EncodedExample encoded;
  SplitAgreements chunks =
      annotate({.sentence_a = "the big dog runs the cat", .sentence_b = "the bird"}, 8, &encoded);
  ASSERT_EQ(encoded.ids.size(), 8u);
  ASSERT_TRUE(encoded.truncated);
  EXPECT_EQ(members_of(chunks, "determiner_next"),
            (std::vector<std::vector<std::uint32_t>>{{1, 2}, {5, 6}}));
  EXPECT_EQ(encoded.ids[5], vocab->id("the"));
  EXPECT_EQ(encoded.ids[6], vocab->id("bird"));

  // A single sentence cut between "the" and "cat": [CLS] the big dog runs the [SEP]; the second
  // chunk's controller ("cat") was cut, so the chunk is gone.
  chunks = annotate({.sentence_a = "the big dog runs the cat"}, 7, &encoded);
  ASSERT_EQ(encoded.ids.size(), 7u);
  EXPECT_EQ(members_of(chunks, "determiner_next"),
            (std::vector<std::vector<std::uint32_t>>{{1, 2}}));

  // Members past the cut are left out of a chunk whose anchors remain.
  std::vector<ExampleChunk> placed;
  place_sentence_chunks({{.type = 0, .controller = 1, .target = 0, .members = {0, 1, 2, 3}},
                         {.type = 0, .controller = 2, .target = 0, .members = {0, 2}}},
                        /*first=*/5, /*kept=*/2, placed);
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].members, (std::vector<std::uint32_t>{5, 6}));
  EXPECT_EQ(placed[0].controller, 6u);
  EXPECT_EQ(placed[0].target, 5u);
}

TEST_F(GlueAgreementsTest, CacheIsReusedAndRebuiltWhenStale) {
  const PretrainedModel model = locate_pretrained_model(dir / "pretrain");
  EXPECT_EQ(model.annotator.find("name")->as_string(), "next_word");
  std::vector<GlueExample> examples = {{.sentence_a = "the cat runs", .sentence_b = "a bird"},
                                       {.sentence_a = "a dog", .sentence_b = "the dog sees"}};
  const fs::path cache = dir / "cache" / "agreements-validation.tsv";
  std::vector<std::string> lines;
  auto chunks_with = [&](std::size_t max_length) {
    const GlueTokenizer tokenizer(*vocab, model.normalizer, max_length);
    GlueAgreements agreements(model, host, tokenizer, {"determiner_next"});
    return agreements.split_chunks("validation", examples, tokenizer.encode(examples), cache,
                                   [&](const std::string& line) { lines.push_back(line); });
  };
  const SplitAgreements first = chunks_with(64);
  ASSERT_TRUE(fs::exists(cache));
  const std::string written = test::read_file(cache);
  EXPECT_PRED2(contains, written, "fingerprint\t");
  EXPECT_PRED2(contains, written, "max_length\t64\n");
  EXPECT_PRED2(contains, written, "types\tdeterminer_next preposition_next\n");
  EXPECT_PRED2(contains, written, "0\tdeterminer_next\t2\t1\t1,2\n");
  EXPECT_PRED2(contains, written, "1\tdeterminer_next\t5\t4\t4,5\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_PRED2(contains, lines[0], "determiner_next 2, preposition_next 0");
  EXPECT_PRED2(contains, lines[0], "annotated");

  // A fresh cache is read, not annotated again: an edited chunk line comes back as written.
  std::string edited = written;
  edited.replace(edited.find("1,2\n"), 4, "1,3\n");
  test::write_file(cache, edited);
  SplitAgreements again = chunks_with(64);
  EXPECT_EQ(again.examples[0][0].members, (std::vector<std::uint32_t>{1, 3}));
  EXPECT_PRED2(contains, lines.back(), "from " + cache.string());

  // Another maximum length, or other examples, make it stale: annotated and written again.
  again = chunks_with(32);
  EXPECT_EQ(again.examples[0][0].members, first.examples[0][0].members);
  EXPECT_PRED2(contains, test::read_file(cache), "max_length\t32\n");
  test::write_file(cache, edited);
  examples[1].sentence_b = "the bird sees";
  again = chunks_with(64);
  EXPECT_EQ(again.examples[0][0].members, first.examples[0][0].members);
  EXPECT_PRED2(contains, lines.back(), "annotated");

  // A malformed line under a matching header names the file and line.
  test::write_file(cache, test::read_file(cache) + "0\tdeterminer_next\t2\n");
  EXPECT_PRED2(contains, test::error_of<UserError>([&] { chunks_with(64); }),
               cache.string() + ":9");
}

TEST_F(GlueAgreementsTest, DacBertFineTunesWithAgreementChunksInItsBatches) {
  const PretrainedModel model = locate_pretrained_model(dir / "pretrain");
  const fs::path out = dir / "glue";
  std::set<std::string> splits_with_chunks;
  std::int64_t batches = 0;
  FinetuneHooks hooks;
  std::vector<std::string> lines;
  hooks.log = [&](const std::string& line) { lines.push_back(line); };
  hooks.extras = [&](const std::string& split, const std::vector<std::size_t>&, Batch& batch) {
    ++batches;
    const auto found = batch.extras.find("agreement/determiner_next");
    ASSERT_NE(found, batch.extras.end()) << split;
    const torch::Tensor& positions = found->second;
    // Every example holds a "the" at its start: each row has a chunk, and each chunk's first
    // member is a "the" and its second the word after it.
    ASSERT_EQ(positions.size(0), batch.rows());
    ASSERT_EQ(positions.size(1), 2);
    const torch::Tensor ids = batch.input_ids.flatten();
    for (std::int64_t c = 0; c < positions.size(0); ++c) {
      const std::int64_t target = positions[c][0].item<std::int64_t>();
      EXPECT_EQ(ids[target].item<std::int64_t>(), vocab->id("the"));
      EXPECT_EQ(target % batch.seq_len(), 1) << "right after [CLS]";
    }
    EXPECT_EQ(batch.extras.count("agreement/preposition_next"), 0u) << "the encoder reads one";
    splits_with_chunks.insert(split);
  };
  const auto runs = run_glue_evaluation(model, host, generated_task({0}), out, compute, hooks);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].predictions.size(), 30u);
  EXPECT_EQ(runs[0].curve.size(), 1u);
  EXPECT_TRUE(runs[0].zeroed.empty());
  EXPECT_EQ(splits_with_chunks, (std::set<std::string>{"train", "validation"}));
  EXPECT_GT(batches, 8);
  EXPECT_TRUE(fs::exists(out / "acceptability" / "agreements-train.tsv"));
  EXPECT_TRUE(fs::exists(out / "acceptability" / "agreements-validation.tsv"));
  std::string log;
  for (const std::string& line : lines) log += line + "\n";
  EXPECT_PRED2(contains, log,
               "acceptability train: agreement chunks of 60 examples: "
               "determiner_next 60, preposition_next 0");

  // Another seed takes the chunks from the cache.
  lines.clear();
  run_glue_evaluation(model, host, generated_task({0, 1}), out, compute, hooks);
  log.clear();
  for (const std::string& line : lines) log += line + "\n";
  EXPECT_PRED2(contains, log, "from " + (out / "acceptability" / "agreements-train.tsv").string());
  EXPECT_TRUE(fs::exists(out / "acceptability" / "seed-1" / "validation.results.json"));
}

TEST_F(GlueAgreementsTest, ZeroedTypeScoresAreWrittenAndReported) {
  const PretrainedModel model = locate_pretrained_model(dir / "pretrain");
  const fs::path out = dir / "glue";
  // A run kept without zeroed scores is done again when they are asked for.
  run_glue_evaluation(model, host, generated_task({0}), out, compute);
  const fs::path file = out / "acceptability" / "seed-0" / "validation.results.json";
  EXPECT_FALSE(contains(test::read_file(file), "\"zeroed\""));
  GlueEvaluationOptions options = generated_task({0});
  options.settings.zero_agreement_types = true;
  std::vector<std::string> lines;
  FinetuneHooks hooks;
  hooks.log = [&](const std::string& line) { lines.push_back(line); };
  const auto runs = run_glue_evaluation(model, host, options, out, compute, hooks);
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_EQ(runs[0].zeroed.size(), 1u);
  const double zeroed = runs[0].zeroed.at("determiner_next");
  EXPECT_GE(zeroed, -100);
  EXPECT_LE(zeroed, 100);
  const glue::GlueRunResult read = glue::read_glue_run_result(file);
  EXPECT_EQ(read.zeroed, runs[0].zeroed);
  EXPECT_PRED2(contains, test::read_file(file), "\"zeroed\"");
  std::string log;
  for (const std::string& line : lines) log += line + "\n";
  EXPECT_PRED2(contains, log, "with agreement type determiner_next zeroed");

  const auto written = glue::write_glue_report(dir / "report", glue::group_runs_by_model(runs));
  const std::string table = test::read_file(written.front());
  EXPECT_PRED2(contains, table, "## Agreement types zeroed at evaluation");
  EXPECT_PRED2(contains, table, "determiner_next");
}

TEST_F(GlueAgreementsTest, RefusesAModelWhosePretrainingRecordedNoAnnotator) {
  fs::remove(dir / "pretrain" / "annotator.toml");
  const PretrainedModel model = locate_pretrained_model(dir / "pretrain");
  EXPECT_FALSE(model.annotator.contains("name"));
  const std::string message = test::error_of<UserError>(
      [&] { run_glue_evaluation(model, host, generated_task({0}), dir / "glue", compute); });
  EXPECT_PRED2(contains, message, "model pretrain");
  EXPECT_PRED2(contains, message, "recorded no annotator");
  EXPECT_FALSE(fs::exists(dir / "glue" / "acceptability" / "seed-0"));
}

TEST_F(GlueAgreementsTest, NamesATypeTheAnnotatorDoesNotProduce) {
  save_model(dir / "other", "subject_verb");
  const std::string message = test::error_of<UserError>([&] {
    run_glue_evaluation(locate_pretrained_model(dir / "other"), host, generated_task({0}),
                        dir / "glue", compute);
  });
  EXPECT_PRED2(contains, message, "'subject_verb'");
  EXPECT_PRED2(contains, message, "it has: determiner_next, preposition_next");
}

}  // namespace
}  // namespace dac::finetune
