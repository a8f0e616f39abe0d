// Tests of the prepare stage through dacrun: vocabulary training or loading, packing into rows,
// the trash filter, row orderings, the validation split, the manifest and statistics, cache
// reuse by hash, determinism, and errors for bad corpus settings.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "dac/config.hpp"
#include "dac/text/annotation_sidecar.hpp"
#include "dac/text/token_shard.hpp"
#include "dac/text/vocab.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;
using dac::test::run_dacrun;
using dac::test::TempDir;
using dac::test::write_file;

// A small corpus: documents of sentences with a varying number of periods.
std::string corpus_text() {
  std::string text;
  const char* words[] = {"the", "cat", "sat", "on", "a", "mat", "dogs", "run", "fast", "today"};
  for (int document = 0; document < 60; ++document) {
    for (int sentence = 0; sentence <= document % 5; ++sentence) {
      for (int word = 0; word < 6; ++word)
        text += std::string(words[(document + word * 3 + sentence) % 10]) + " ";
      text += ". ";
    }
    text += "\n\n";
  }
  return text;
}

std::string experiment(const std::string& extra = "") {
  return R"([experiment]
name = "prep"
seed = 4

[[stages]]
name = "data"
kind = "prepare"
corpus = { name = "text_files", paths = ["corpus"] }
vocab_size = 200
min_frequency = 1
seq_len = 16
validation_fraction = 0.1
ordering = "as_read"
filter_ratio = 0.0
)" + extra;
}

class PrepareStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "corpus" / "a.txt", corpus_text());
    write_file(dir_ / "x.toml", experiment());
  }

  dac::test::CommandResult run(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"run", "x.toml", "--runs-dir", "runs", "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_dacrun(args, dir_.path());
  }

  fs::path stage_dir() {
    for (const auto& item : fs::directory_iterator(dir_ / "runs" / "stages"))
      if (item.path().filename().string().starts_with("prepare-")) return item.path();
    ADD_FAILURE() << "no prepare stage folder";
    return {};
  }

  dac::ConfigNode statistics() { return dac::parse_toml_file(stage_dir() / "statistics.toml"); }

  TempDir dir_;
};

TEST_F(PrepareStageTest, TrainsAVocabularyAndPacksRowsOfExactlySeqLen) {
  const auto result = run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path out = stage_dir();
  const dac::text::Vocab vocab = dac::text::Vocab::load(out / "vocab.txt");
  EXPECT_LE(vocab.size(), 200u);
  EXPECT_EQ(vocab.token(0), "[PAD]");
  const dac::ConfigNode stats = statistics();
  const std::int64_t rows = stats.find("rows")->as_int();
  EXPECT_EQ(rows, stats.find("tokens")->as_int() / 16);
  EXPECT_EQ(stats.find("train_rows")->as_int() + stats.find("validation_rows")->as_int(), rows);
  EXPECT_EQ(stats.find("validation_rows")->as_int(), (rows + 5) / 10);

  const dac::text::TokenShardReader train(out / "train-00000.tokens");
  EXPECT_EQ(train.seq_len(), 16u);
  EXPECT_EQ(static_cast<std::int64_t>(train.rows()), stats.find("train_rows")->as_int());
  const dac::ConfigNode manifest = dac::parse_toml_file(out / "shards.toml");
  EXPECT_EQ(manifest.find("seq_len")->as_int(), 16);
  EXPECT_EQ(manifest.find("train")->items().front().as_string(), "train-00000");
  EXPECT_TRUE(fs::exists(out / "train-00000.chunks"));
  EXPECT_TRUE(fs::exists(out / "validation-00000.tokens"));
  EXPECT_FALSE(fs::exists(out / "tmp"));
}

TEST_F(PrepareStageTest, AsReadKeepsTheReadingOrder) {
  write_file(dir_ / "x.toml",
             experiment() + "\n[variants.all_train.stages.data]\nvalidation_fraction = 0.0\n");
  ASSERT_EQ(run().exit_code, 0);
  const dac::text::Vocab vocab = dac::text::Vocab::load(stage_dir() / "vocab.txt");
  const dac::text::TokenShardReader train(stage_dir() / "train-00000.tokens");
  // The first row starts the first document, whose first word is "the".
  EXPECT_EQ(vocab.token(train.row(0)[0]), "the");
  EXPECT_EQ(train.document_starts(0).front(), 0);
}

TEST_F(PrepareStageTest, SecondRunReusesTheFinishedStage) {
  ASSERT_EQ(run().exit_code, 0);
  const auto again = run({"--dry-run"});
  EXPECT_PRED2(contains, again.out, "-> reuse");
}

TEST_F(PrepareStageTest, CurriculumPutsRowsWithMorePeriodsFirst) {
  write_file(dir_ / "x.toml", experiment() +
                                  "\n[variants.curriculum.stages.data]\n"
                                  "ordering = \"sentence_length_curriculum\"\n"
                                  "validation_fraction = 0.0\n");
  ASSERT_EQ(run().exit_code, 0);
  const fs::path out = stage_dir();
  const dac::text::Vocab vocab = dac::text::Vocab::load(out / "vocab.txt");
  const dac::text::TokenShardReader train(out / "train-00000.tokens");
  int previous = 1 << 20;
  for (std::uint64_t row = 0; row < train.rows(); ++row) {
    const auto ids = train.row(row);
    const int periods = static_cast<int>(std::count(ids.begin(), ids.end(), vocab.id(".")));
    EXPECT_LE(periods, previous) << "row " << row;
    previous = periods;
  }
}

TEST_F(PrepareStageTest, SameSeedGivesIdenticalShardsAndAnotherSeedAnotherOrder) {
  write_file(dir_ / "x.toml", experiment() +
                                  "\n[variants.a.stages.data]\nordering = \"randomized\""
                                  "\n[variants.b.stages.data]\nordering = \"randomized\""
                                  "\nthreads = 2\n");
  ASSERT_EQ(run().exit_code, 0);
  std::vector<std::string> shards;
  for (const auto& item : fs::directory_iterator(dir_ / "runs" / "stages"))
    shards.push_back(dac::test::read_file(item.path() / "train-00000.tokens"));
  ASSERT_EQ(shards.size(), 2u);  // threads differs, so the hashes differ; the bytes must not
  EXPECT_EQ(shards[0], shards[1]);

  const auto other = run({"--set", "experiment.seed=5", "--only", "a"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  std::size_t different = 0;
  for (const auto& item : fs::directory_iterator(dir_ / "runs" / "stages"))
    different += dac::test::read_file(item.path() / "train-00000.tokens") != shards[0];
  EXPECT_EQ(different, 1u);
}

TEST_F(PrepareStageTest, FilterDropsBadlyTokenisedDocuments) {
  // Letters split by periods: about one wordpiece per character.
  write_file(dir_ / "corpus" / "b.txt", "t.h.e.c.a.t.s.a.t.o.n.t.h.e.m.a.t\n\n");
  // Ordinary documents have about 0.3 wordpieces per character.
  write_file(dir_ / "x.toml",
             experiment() + "\n[variants.filtered.stages.data]\nfilter_ratio = 0.5\n");
  ASSERT_EQ(run().exit_code, 0);
  const dac::ConfigNode stats = statistics();
  EXPECT_EQ(stats.find("documents_filtered")->as_int(), 1);
  EXPECT_GT(stats.find("filtered_share")->as_float(), 0.0);
}

TEST_F(PrepareStageTest, MissingCorpusFolderIsAUserError) {
  write_file(dir_ / "x.toml", experiment());
  fs::remove_all(dir_ / "corpus");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_PRED2(contains, result.err, "corpus");
}

TEST_F(PrepareStageTest, UnknownCorpusPluginNamesTheKey) {
  write_file(dir_ / "x.toml", R"([[stages]]
name = "data"
kind = "prepare"
corpus = { name = "text_file", paths = ["corpus"] }
)");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "stages.data.corpus.name");
  EXPECT_PRED2(contains, result.err, "did you mean 'text_files'?");
}

TEST_F(PrepareStageTest, AnnotatorChunksLandOnTheirWordpiecesInTheSidecars) {
  write_file(dir_ / "x.toml",
             experiment("annotator = { name = \"next_word\" }\n[plugins]\npaths = [\"" +
                        std::string(DAC_TEST_PLUGIN_DIR) + "/annotator\"]\n"));
  const auto result = run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path out = stage_dir();
  const dac::text::Vocab vocab = dac::text::Vocab::load(out / "vocab.txt");
  const dac::ConfigNode stats = statistics();
  EXPECT_GT(stats.find("chunks_kept")->as_int(), 0);
  EXPECT_GT(stats.find("chunks_cut")->as_int(), 0);  // some "the"/"on" end a 16-token row

  std::int64_t seen = 0;
  for (const char* split : {"train-00000", "validation-00000"}) {
    const dac::text::TokenShardReader shard(out / (std::string(split) + ".tokens"));
    const dac::text::AnnotationSidecarReader sidecar(out / (std::string(split) + ".chunks"));
    sidecar.check_matches(shard);
    EXPECT_EQ(sidecar.type_names(),
              (std::vector<std::string>{"determiner_next", "preposition_next"}));
    for (std::uint64_t row = 0; row < shard.rows(); ++row) {
      const auto ids = shard.row(row);
      for (const auto& chunk : sidecar.chunks(row)) {
        ++seen;
        EXPECT_EQ(vocab.token(ids[chunk.target]), chunk.type == 0 ? "the" : "on");
        EXPECT_EQ(chunk.controller, chunk.target + 1);
        ASSERT_EQ(chunk.members.size(), 2u);
        EXPECT_EQ(chunk.members[0], chunk.target);
      }
    }
  }
  EXPECT_EQ(seen, stats.find("chunks_kept")->as_int());
}

TEST_F(PrepareStageTest, LoadsAStandardBertVocabulary) {
  const auto data = dac::test::test_data_dir();
  if (!data) GTEST_SKIP() << "real data folder absent (set DAC_TEST_DATA); skipping";
  const fs::path vocab = *data / "bert_vocab" / "bert-base-uncased-vocab.txt";
  write_file(dir_ / "x.toml",
             experiment("vocab = \"" + vocab.string() + "\"\nnormalizer = \"bert_uncased\"\n"));
  const auto result = run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(statistics().find("vocab_size")->as_int(), 30522);
  const dac::text::TokenShardReader train(stage_dir() / "train-00000.tokens");
  EXPECT_EQ(train.id_bytes(), 2u);
}

}  // namespace
