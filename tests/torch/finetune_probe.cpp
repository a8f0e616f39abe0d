// Agreement probing by pseudo-log-likelihood: the batched scoring equals masking one position at
// a time by hand, batch size does not change a score, `dacrun probe` scores BLiMP's sample and
// refuses bad input, an encoder reading agreement chunks is probed without them unless a batch
// hook gives them, and the probe stage writes its files.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

#include "dac/finetune/glue_inputs.hpp"
#include "dac/finetune/minimal_pair_probe.hpp"
#include "dac/finetune/pseudo_log_likelihood.hpp"
#include "dac/json_config.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/plugin_host.hpp"
#include "dac/train/checkpoint.hpp"
#include "dac/train/compute.hpp"
#include "support/test_support.hpp"
#include "tiny_pretrained.hpp"

namespace dac::finetune {
namespace {

namespace fs = std::filesystem;
using test::contains;

const std::vector<std::string> kWords = {
    "the",  "a",   "this", "these", "dog",    "dogs",     "cat", "cats", "run", "runs",
    "sees", "see", "near", "big",   "sketch", "sketches", "is",  "are",  "."};

std::vector<std::string> vocab_tokens() {
  return test::bert_vocab_tokens(kWords);
}

std::string vocab_text() {
  return test::bert_vocab_text(kWords);
}

ConfigNode tiny_model(const std::string& name) {
  return test::tiny_encoder_table(name, static_cast<std::int64_t>(vocab_tokens().size()), 64,
                                  /*layers=*/2);
}

// Pairs in the synthetic tasks' layout; the last two are ties: the same sentence twice, and two
// sentences whose differing words are both unknown to the vocabulary.
const char* kPairs =
    R"({"sentence_good": "the dogs near the cat run .", "sentence_bad": "the dogs near the cat runs .", "linguistics_term": "subject_verb_agreement", "UID": "u", "pairID": "0", "agreement_type": "subject_verb"}
{"sentence_good": "this sketch is big .", "sentence_bad": "these sketch is big .", "linguistics_term": "determiner_noun_agreement", "UID": "u", "pairID": "1"}
{"sentence_good": "a cat sees the dog .", "sentence_bad": "a cat sees the dog .", "linguistics_term": "subject_verb_agreement", "UID": "u", "pairID": "2"}
{"sentence_good": "a cat sees the zebra .", "sentence_bad": "a cat sees the giraffe .", "linguistics_term": "subject_verb_agreement", "UID": "u", "pairID": "3"}
)";

class PseudoLogLikelihood : public ::testing::Test {
 protected:
  void SetUp() override {
    host.load_library(fs::path(DAC_PLUGIN_DIR) / "dac_models.so");
    checkpoint = save_model(tiny_model("crammed_bert"), dir / "pretrain");
    encoder = host.create<Encoder>(tiny_model("crammed_bert"), "model");
    train::load_checkpoint(checkpoint, *encoder, nullptr);
    compute = test::one_cpu_thread();
    test::write_file(dir / "pairs.jsonl", kPairs);
  }

  // A model with weights far from uniform predictions (a fresh one predicts nearly uniformly, so
  // scores would hardly depend on the position masked), saved as a pretrain stage's checkpoint.
  fs::path save_model(const ConfigNode& table, const fs::path& stage) {
    torch::manual_seed(0);
    std::shared_ptr<Encoder> model = host.create<Encoder>(table, "model");
    {
      torch::NoGradGuard no_grad;
      for (torch::Tensor& parameter : model->parameters())
        if (parameter.dim() >= 2) parameter.normal_(0, 0.3);
    }
    return test::save_pretrain_checkpoint(stage, *model, vocab_text());
  }

  std::vector<std::int32_t> encode(const std::string& sentence) const {
    const GlueTokenizer tokenizer(vocab, "crammed", 64);
    return tokenizer.encode(GlueExample{.sentence_a = sentence}).ids;
  }

  // The PLL of one sentence the plain way: one forward pass per masked position.
  double pll_by_hand(const std::vector<std::int32_t>& ids) {
    encoder->eval();
    torch::NoGradGuard no_grad;
    double total = 0;
    for (std::size_t position = 1; position + 1 < ids.size(); ++position) {
      std::vector<std::int64_t> masked(ids.begin(), ids.end());
      masked[position] = vocab.mask();
      Batch batch;
      batch.input_ids = torch::tensor(masked, torch::kInt64).unsqueeze(0);
      const torch::Tensor hidden =
          encoder->hidden_states(batch)[0][static_cast<std::int64_t>(position)];
      const torch::Tensor log_probabilities =
          torch::log_softmax(encoder->mlm_logits(hidden.unsqueeze(0)), -1)[0];
      total += log_probabilities[ids[position]].item<double>();
    }
    return total;
  }

  test::TempDir dir;
  PluginHost host;
  fs::path checkpoint;
  std::shared_ptr<Encoder> encoder;
  text::Vocab vocab{vocab_tokens()};
  train::Compute compute;
};

TEST_F(PseudoLogLikelihood, EqualsMaskingOnePositionAtATime) {
  const std::vector<std::vector<std::int32_t>> sentences = {
      encode("the dogs near the cat run ."), encode("this sketch is big ."), encode("cat")};
  ASSERT_EQ(sentences[0].size(), 9u);  // [CLS] 7 pieces [SEP]
  ASSERT_EQ(sentences[2].size(), 3u);
  const std::vector<double> batched =
      pseudo_log_likelihoods(*encoder, sentences, vocab.mask(), vocab.pad(), compute);
  ASSERT_EQ(batched.size(), 3u);
  for (std::size_t s = 0; s < sentences.size(); ++s) {
    const double hand = pll_by_hand(sentences[s]);
    EXPECT_LT(hand, 0);
    EXPECT_NEAR(batched[s], hand, 1e-4 * std::abs(hand)) << "sentence " << s;
  }
  // The scores are far from uniform guessing, so a wrong position or label would show.
  const double uniform = -std::log(static_cast<double>(vocab.size()));
  EXPECT_GT(std::abs(batched[2] - uniform), 0.05);
  EXPECT_TRUE(encoder->is_training() == false);
}

TEST_F(PseudoLogLikelihood, BatchSizeDoesNotChangeTheScores) {
  const std::vector<std::vector<std::int32_t>> sentences = {
      encode("the dogs near the cat run ."), encode("a cat ."),  encode(""),
      encode("these big dogs see a cat ."),  encode("dog runs"), encode("the cat is big .")};
  ASSERT_EQ(sentences[2].size(), 2u);
  std::vector<std::size_t> rows_of(sentences.size(), 0);
  std::size_t batches = 0;
  PllOptions one_row{.batch_size = 1};
  one_row.hook = [&](const std::vector<std::size_t>& sentence_of_row, Batch& batch) {
    ++batches;
    ASSERT_EQ(batch.rows(), static_cast<std::int64_t>(sentence_of_row.size()));
    for (std::size_t row = 0; row < sentence_of_row.size(); ++row) {
      const std::vector<std::int32_t>& ids = sentences.at(sentence_of_row[row]);
      ++rows_of[sentence_of_row[row]];
      // The row is its sentence with one piece masked.
      int masked = 0;
      for (std::size_t column = 0; column < ids.size(); ++column) {
        const auto id =
            batch.input_ids[static_cast<std::int64_t>(row)][static_cast<std::int64_t>(column)]
                .item<std::int64_t>();
        if (id == vocab.mask())
          ++masked;
        else
          EXPECT_EQ(id, ids[column]);
      }
      EXPECT_EQ(masked, 1);
    }
  };
  const std::vector<double> reference =
      pseudo_log_likelihoods(*encoder, sentences, vocab.mask(), vocab.pad(), compute, one_row);
  for (std::size_t s = 0; s < sentences.size(); ++s)
    EXPECT_EQ(rows_of[s], sentences[s].size() - 2) << "sentence " << s;
  std::size_t positions = 0;
  for (const auto& ids : sentences) positions += ids.size() - 2;
  EXPECT_EQ(positions, 7u + 3 + 0 + 7 + 2 + 5);
  EXPECT_EQ(batches, positions) << "one row per batch";
  EXPECT_EQ(reference[2], 0.0) << "a sentence without pieces";
  for (const std::size_t batch_size : {3u, 7u, 128u}) {
    const std::vector<double> scores = pseudo_log_likelihoods(
        *encoder, sentences, vocab.mask(), vocab.pad(), compute, {.batch_size = batch_size});
    for (std::size_t s = 0; s < sentences.size(); ++s)
      EXPECT_NEAR(scores[s], reference[s], 1e-4 * std::max(1.0, std::abs(reference[s])))
          << "batch size " << batch_size << ", sentence " << s;
  }
  EXPECT_NE(reference[0], reference[3]);
}

TEST_F(PseudoLogLikelihood, ProbesPairsWithTiesAsFailures) {
  MinimalPairProbeOptions options;
  options.files = {dir / "pairs.jsonl"};
  const MinimalPairProbe probe =
      run_minimal_pair_probe(locate_pretrained_model(dir / "pretrain"), host, options, compute);
  ASSERT_EQ(probe.files.size(), 1u);
  const std::vector<glue::PairScore>& scores = probe.files[0].scores;
  ASSERT_EQ(scores.size(), 4u);
  EXPECT_NEAR(scores[0].good, pll_by_hand(encode("the dogs near the cat run .")), 1e-3);
  EXPECT_NEAR(scores[0].bad, pll_by_hand(encode("the dogs near the cat runs .")), 1e-3);
  EXPECT_NE(scores[1].good, scores[1].bad);
  // The ties are exact, and failures.
  EXPECT_EQ(scores[2].good, scores[2].bad);
  EXPECT_EQ(scores[3].good, scores[3].bad);
  EXPECT_EQ(probe.accuracy.total.pairs, 4u);
  EXPECT_EQ(probe.accuracy.total.correct, static_cast<std::size_t>(scores[0].good > scores[0].bad) +
                                              (scores[1].good > scores[1].bad));
  ASSERT_EQ(probe.accuracy.types.size(), 2u);
  EXPECT_EQ(probe.accuracy.types[0].name, "determiner_noun");
  EXPECT_EQ(probe.accuracy.types[1].name, "subject_verb");
  EXPECT_EQ(probe.accuracy.types[1].pairs, 3u);
  EXPECT_TRUE(probe.agreement_types.empty());
  EXPECT_EQ(agreement_embeddings_note(locate_pretrained_model(checkpoint), probe), "");
}

TEST_F(PseudoLogLikelihood, AnEncoderReadingAgreementChunksIsProbedWithoutThemUnlessHooked) {
  const ConfigNode dacbert = test::tiny_dacbert_table(
      {"subject_verb"}, static_cast<std::int64_t>(vocab_tokens().size()), 64, /*layers=*/2);
  save_model(dacbert, dir / "dacbert");

  const test::CommandResult result = test::run_dacrun(
      {"probe", "--model", (dir / "dacbert").string(), "--pairs", (dir / "pairs.jsonl").string(),
       "--device", "cpu", "--threads", "1", "--output", (dir / "dacbert.json").string()});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "reads agreement chunks (subject_verb)");
  EXPECT_PRED2(contains, result.err, "agreement embeddings are off");
  const ConfigNode json = read_json_config_file(dir / "dacbert.json");
  EXPECT_EQ(json.find("agreement_embeddings")->as_string(), "off");

  // With a hook every batch can carry the chunks of its rows' sentences.
  MinimalPairProbeOptions options;
  options.files = {dir / "pairs.jsonl"};
  std::vector<std::string> seen;
  std::size_t rows = 0;
  options.batch_hook = [&](const std::vector<std::string>& sentences) -> PllBatchHook {
    seen = sentences;
    return [&](const std::vector<std::size_t>& sentence_of_row, Batch& batch) {
      rows += sentence_of_row.size();
      EXPECT_EQ(batch.rows(), static_cast<std::int64_t>(sentence_of_row.size()));
    };
  };
  const PretrainedModel model = locate_pretrained_model(dir / "dacbert");
  const MinimalPairProbe probe = run_minimal_pair_probe(model, host, options, compute);
  // Every distinct sentence once: the third pair's two sentences are the same.
  ASSERT_EQ(seen.size(), 7u);
  EXPECT_EQ(seen[2], "this sketch is big .");
  EXPECT_EQ(seen[3], "these sketch is big .");
  EXPECT_EQ(seen[4], "a cat sees the dog .");
  std::size_t positions = 0;
  for (const std::string& sentence : seen) positions += encode(sentence).size() - 2;
  EXPECT_EQ(rows, positions);
  EXPECT_EQ(positions, 7u + 7 + 5 + 5 + 6 + 6 + 6);
  EXPECT_TRUE(probe.agreement_inputs);
  EXPECT_EQ(agreement_embeddings_note(model, probe), "");
  EXPECT_EQ(
      minimal_pair_probe_config(model, probe, "cpu").find("agreement_embeddings")->as_string(),
      "on");
}

TEST_F(PseudoLogLikelihood, ProbeCommandScoresTheBlimpSample) {
  const auto data = test::test_data_dir();
  if (!data || !fs::exists(*data / "blimp_sample"))
    GTEST_SKIP() << "needs the real data folder with blimp_sample/ (DAC_TEST_DATA, default "
                    "../shared/data)";
  const fs::path blimp = *data / "blimp_sample";
  const test::CommandResult result =
      test::run_dacrun({"probe", "--model", (dir / "pretrain").string(), "--pairs",
                        (blimp / "determiner_noun_agreement_1.jsonl").string(),
                        (blimp / "regular_plural_subject_verb_agreement_1.jsonl").string(),
                        "--max-pairs", "20", "--batch-size", "64", "--device", "cpu", "--threads",
                        "1", "--output", (dir / "probe.json").string()});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_PRED2(contains, result.out, "determiner_noun_agreement_1.jsonl");
  EXPECT_PRED2(contains, result.out, "regular_plural_subject_verb_agreement_1.jsonl");
  EXPECT_PRED2(contains, result.out, "type   determiner_noun");
  EXPECT_PRED2(contains, result.out, "type   subject_verb");
  EXPECT_PRED2(contains, result.out, "total");
  EXPECT_FALSE(contains(result.err, "agreement embeddings")) << result.err;

  const ConfigNode json = read_json_config_file(dir / "probe.json");
  EXPECT_EQ(json.find_path("accuracy.total.pairs")->as_int(), 40);
  EXPECT_EQ(json.find_path("agreement_embeddings")->as_string(), "none");
  const ConfigNode* pairs = json.find_path("files.0.pairs");
  ASSERT_NE(pairs, nullptr);
  ASSERT_EQ(pairs->items().size(), 20u);
  // The command tokenises as fine-tuning does: its score is the one computed here.
  const ConfigNode& first = pairs->items().front();
  EXPECT_EQ(first.find("sentence_good")->as_string(), "Raymond is selling this sketch.");
  EXPECT_NEAR(first.find("pll_good")->as_float(),
              pll_by_hand(encode("Raymond is selling this sketch.")), 1e-3);
  std::int64_t correct = 0;
  for (const ConfigNode& pair : pairs->items()) correct += pair.find("correct")->as_bool();
  EXPECT_EQ(json.find_path("accuracy.files.0.correct")->as_int(), correct);
}

TEST_F(PseudoLogLikelihood, ProbeCommandNamesBadInput) {
  test::write_file(dir / "bad.jsonl", std::string(kPairs).substr(0, 200) + "\n{oops}\n");
  auto probe = [&](const fs::path& pairs) {
    return test::run_dacrun({"probe", "--model", checkpoint.string(), "--pairs", pairs.string(),
                             "--device", "cpu", "--threads", "1"});
  };
  test::CommandResult result = probe(dir / "bad.jsonl");
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "bad.jsonl:1:");

  test::write_file(dir / "bad.jsonl", std::string(kPairs) + "{oops}\n");
  result = probe(dir / "bad.jsonl");
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "bad.jsonl:5: not a JSON line");

  result = probe(dir / "missing.jsonl");
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_PRED2(contains, result.err, "missing.jsonl");

  result = test::run_dacrun({"probe", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_PRED2(contains, result.out, "--pairs");
  EXPECT_PRED2(contains, result.out, "--batch-size");
}

TEST_F(PseudoLogLikelihood, ProbeStageWritesItsTablesForTheSyntheticPairs) {
  // The pairs default to the minimal_pairs.jsonl of a synthetic_tasks input.
  test::write_file(dir / "x.toml", R"([experiment]
name = "probing"
seed = 0

[[stages]]
name = "tasks"
kind = "synthetic_tasks"
seed = 1
examples = 60

[[stages]]
name = "probe"
kind = "probe"
inputs = ["tasks"]
model = ")" + checkpoint.string() + R"("
max_pairs = 12
batch_size = 32
device = "cpu"
threads = 1
)");
  const test::CommandResult result = test::run_dacrun({"run", "x.toml", "-q"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  fs::path stage;
  for (const auto& entry : fs::directory_iterator(dir / "runs" / "stages"))
    if (entry.path().filename().string().starts_with("probe-")) stage = entry.path();
  ASSERT_FALSE(stage.empty());
  const ConfigNode json = read_json_config_file(stage / "probe.json");
  EXPECT_EQ(json.find_path("accuracy.total.pairs")->as_int(), 12);
  EXPECT_PRED2(contains, json.find_path("files.0.path")->as_string(), "minimal_pairs.jsonl");
  EXPECT_PRED2(contains, test::read_file(stage / "probe.md"), "| total |");
  const ConfigNode record = parse_toml_file(stage / "stage.toml");
  const ConfigNode* stage_result = record.find("result");
  ASSERT_NE(stage_result, nullptr);
  EXPECT_TRUE(stage_result->contains("total"));
  EXPECT_EQ(stage_result->find("pairs")->as_int(), 12);
}

}  // namespace
}  // namespace dac::finetune
