// Tests of agreement annotation through the prepare stage (dacrun): the `agreements` annotator with
// a test parser and with external CoNLL-U parses (hand-made and UD English EWT dev), chunks on the
// right wordpieces of the sidecars, annotation.toml and the summary in statistics.toml, mismatch
// errors, and a run interrupted during annotation that resumes from the annotation cache with the
// same output as an uninterrupted run.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "dac/config.hpp"
#include "dac/syntax/conllu.hpp"
#include "dac/text/annotation_sidecar.hpp"
#include "dac/text/token_shard.hpp"
#include "dac/text/vocab.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;
using dac::test::read_file;
using dac::test::run_dacrun;
using dac::test::TempDir;
using dac::test::write_file;

std::string experiment(const std::string& annotator, const std::string& settings = "") {
  return R"([experiment]
name = "annotate"
seed = 4

[plugins]
paths = [")" +
         std::string(DAC_TEST_PLUGIN_DIR) +
         R"(/annotator"]

[[stages]]
name = "data"
kind = "prepare"
corpus = { name = "text_files", paths = ["corpus"] }
min_frequency = 1
filter_ratio = 0.0
annotator = )" +
         annotator + "\n" +
         (settings.empty() ? "vocab_size = 200\nseq_len = 16\nvalidation_fraction = 0.1\n"
                           : settings);
}

const char* kWhitespaceAnnotator =
    R"({ name = "agreements", parser = { name = "whitespace" }, extractors = ["previous_word"] })";

class PrepareAnnotationTest : public ::testing::Test {
 protected:
  dac::test::CommandResult run(const fs::path& dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"run", "x.toml", "--runs-dir", "runs"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_dacrun(args, dir);
  }

  static fs::path stage_dir(const fs::path& dir) {
    for (const auto& item : fs::directory_iterator(dir / "runs" / "stages"))
      if (item.path().filename().string().starts_with("prepare-")) return item.path();
    ADD_FAILURE() << "no prepare stage folder";
    return {};
  }

  TempDir dir_;
};

// Calls fn(vocab, ids, chunk) for every chunk of every shard of a prepare stage folder.
template <class Fn>
void for_each_chunk(const fs::path& out, Fn fn) {
  const dac::text::Vocab vocab = dac::text::Vocab::load(out / "vocab.txt");
  const dac::ConfigNode manifest = dac::parse_toml_file(out / "shards.toml");
  for (const char* split : {"train", "validation"})
    for (const dac::ConfigNode& name : manifest.find(split)->items()) {
      const dac::text::TokenShardReader shard(out / (name.as_string() + ".tokens"));
      const dac::text::AnnotationSidecarReader sidecar(out / (name.as_string() + ".chunks"));
      sidecar.check_matches(shard);
      for (std::uint64_t row = 0; row < shard.rows(); ++row) {
        const auto ids = shard.row(row);
        for (const auto& chunk : sidecar.chunks(row)) fn(vocab, ids, chunk);
      }
    }
}

TEST_F(PrepareAnnotationTest, ParserChunksLandOnTheirWordpiecesAndAreCounted) {
  write_file(dir_ / "corpus" / "a.txt", dac::test::ten_word_corpus(80));
  write_file(dir_ / "x.toml", experiment(kWhitespaceAnnotator));
  const auto result = run(dir_.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_PRED2(contains, result.out + result.err, "words annotated");
  const fs::path out = stage_dir(dir_.path());

  std::int64_t seen = 0;
  for_each_chunk(out, [&](const dac::text::Vocab& vocab, std::span<const std::int32_t> ids,
                          const dac::text::ChunkView& chunk) {
    ++seen;
    EXPECT_EQ(chunk.type, 0);
    // Every word is one wordpiece here: the head is the wordpiece before.
    EXPECT_EQ(chunk.target, chunk.controller + 1);
    ASSERT_EQ(chunk.members.size(), 2u);
    EXPECT_EQ(chunk.members[0], chunk.controller);
    EXPECT_EQ(chunk.members[1], chunk.target);
    EXPECT_NE(vocab.token(ids[chunk.controller]), "[SEP]");
    EXPECT_NE(vocab.token(ids[chunk.controller]), ".");  // "." ends its sentence
  });
  EXPECT_GT(seen, 0);

  const dac::ConfigNode annotation = dac::parse_toml_file(out / "annotation.toml");
  const dac::ConfigNode& type = *annotation.find("previous_word");
  EXPECT_EQ(annotation.find("documents")->as_int(), 80);
  EXPECT_GT(annotation.find("words_per_second")->as_float(), 0.0);
  EXPECT_EQ(type.find("kept_in_rows")->as_int(), seen);
  EXPECT_GT(type.find("cut_at_row_boundaries")->as_int(), 0);
  EXPECT_EQ(type.find("kept_in_rows")->as_int() + type.find("cut_at_row_boundaries")->as_int(),
            type.find("aligned")->as_int());
  EXPECT_EQ(type.find("lost_at_alignment")->as_int(), 0);
  // One chunk per word but the first of each sentence.
  EXPECT_EQ(type.find("chunks")->as_int(),
            annotation.find("words")->as_int() - annotation.find("sentences")->as_int());

  const dac::ConfigNode stats = dac::parse_toml_file(out / "statistics.toml");
  EXPECT_EQ(stats.find("annotation_chunks")->as_int(), type.find("aligned")->as_int());
  EXPECT_EQ(stats.find("chunks_kept")->as_int(), seen);
  EXPECT_FALSE(fs::exists(out / "annotation-cache.bin"));
}

// A hand-made external parse of a.txt's two documents (ids "a.txt#1" and "a.txt#3"), listed in the
// opposite order.
const char* kHandParsed =
    "# newdoc id = a.txt#3\n"
    "# text = the dogs run .\n"
    "1\tthe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tdogs\tdog\tNOUN\tNNS\t_\t3\tnsubj\t_\t_\n"
    "3\trun\trun\tVERB\tVBP\t_\t0\troot\t_\t_\n"
    "4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n"
    "# newdoc id = a.txt#1\n"
    "# text = a cat sat on the mat .\n"
    "1\ta\ta\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tcat\tcat\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3\tsat\tsit\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "4\ton\ton\tADP\tIN\t_\t6\tcase\t_\t_\n"
    "5\tthe\tthe\tDET\tDT\t_\t6\tdet\t_\t_\n"
    "6\tmat\tmat\tNOUN\tNN\t_\t3\tobl\t_\t_\n"
    "7\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n";

TEST_F(PrepareAnnotationTest, ExternalParsePairsByDocumentId) {
  write_file(dir_ / "corpus" / "a.txt", "a cat sat on the mat .\n\nthe dogs run .\n");
  write_file(dir_ / "parsed.conllu", kHandParsed);
  write_file(dir_ / "x.toml",
             experiment(R"({ name = "agreements", conllu = ["parsed.conllu"], )"
                        R"(extractors = ["determiner_noun", "subject_verb"] })",
                        "vocab_size = 200\nseq_len = 8\nvalidation_fraction = 0.0\n"
                        "ordering = \"as_read\"\n"));
  const auto result = run(dir_.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path out = stage_dir(dir_.path());
  const dac::ConfigNode annotation = dac::parse_toml_file(out / "annotation.toml");
  EXPECT_EQ(annotation.find("documents")->as_int(), 2);
  EXPECT_EQ(annotation.find("words")->as_int(), 11);
  EXPECT_EQ(annotation.find("determiner_noun")->find("chunks")->as_int(), 3);
  EXPECT_EQ(annotation.find("subject_verb")->find("chunks")->as_int(), 2);
  // 7 + [SEP] = row 1; 4 + [SEP] is the dropped tail: row 1 keeps "a cat" and "the mat".
  std::vector<std::string> determiners;
  for_each_chunk(out, [&](const dac::text::Vocab& vocab, std::span<const std::int32_t> ids,
                          const dac::text::ChunkView& chunk) {
    if (chunk.type == 0)
      determiners.push_back(vocab.token(ids[chunk.target]) + " " +
                            vocab.token(ids[chunk.controller]));
  });
  EXPECT_EQ(determiners, (std::vector<std::string>{"a cat", "the mat"}));
}

TEST_F(PrepareAnnotationTest, ExternalParseThatDoesNotMatchItsDocumentIsAnError) {
  write_file(dir_ / "corpus" / "a.txt", "a cat sat on the mat .\n\nthe dog runs .\n");
  write_file(dir_ / "parsed.conllu", kHandParsed);
  write_file(dir_ / "x.toml", experiment(R"({ name = "agreements", conllu = ["parsed.conllu"] })"));
  const auto result = run(dir_.path());
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_PRED2(contains, result.err, "parsed.conllu:4:");  // the line of "dogs"
  EXPECT_PRED2(contains, result.err, "document 'a.txt#3'");
  EXPECT_PRED2(contains, result.err, "byte 4");
}

TEST_F(PrepareAnnotationTest, ParserAndConlluTogetherAreAConfigError) {
  write_file(dir_ / "corpus" / "a.txt", dac::test::ten_word_corpus(5));
  write_file(dir_ / "x.toml", experiment(R"({ name = "agreements", conllu = ["p.conllu"], )"
                                         R"(parser = { name = "whitespace" } })"));
  const auto result = run(dir_.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "exactly one of `parser`");
}

TEST_F(PrepareAnnotationTest, EwtDevParseAnnotatesWithTheDefaultExtractors) {
  const auto data = dac::test::test_data_dir();
  const fs::path dev = data ? *data / "ud_english_ewt" / "en_ewt-ud-dev.conllu" : fs::path();
  if (!data || !fs::exists(dev))
    GTEST_SKIP() << "UD English EWT dev (ud_english_ewt/en_ewt-ud-dev.conllu in the real-data "
                    "folder, DAC_TEST_DATA) is absent; skipping";
  // The raw corpus: one paragraph per EWT document; corpus ids differ, so pairing is by order.
  std::string corpus;
  for (const dac::Sentence& sentence : dac::read_conllu_file(dev)) {
    if (dac::comment_value(sentence, "newdoc id") && !corpus.empty()) corpus += "\n\n";
    corpus += sentence.text + " ";
  }
  write_file(dir_ / "corpus" / "ewt.txt", corpus + "\n");
  write_file(dir_ / "x.toml", experiment(R"({ name = "agreements", conllu = [")" + dev.string() +
                                             R"("], pairing = "order" })",
                                         "vocab_size = 3000\nseq_len = 64\n"));
  const auto result = run(dir_.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path out = stage_dir(dir_.path());
  const dac::ConfigNode annotation = dac::parse_toml_file(out / "annotation.toml");
  EXPECT_EQ(annotation.find("sentences")->as_int(), 2001);
  const std::vector<std::string> types{"subject_verb", "verb_object", "adjective_noun",
                                       "determiner_noun"};
  for (const std::string& type : types) {
    EXPECT_GT(annotation.find(type)->find("kept_in_rows")->as_int(), 100) << type;
    EXPECT_LT(annotation.find(type)->find("lost_at_alignment")->as_int(),
              annotation.find(type)->find("chunks")->as_int() / 20)
        << type;
  }
  const dac::text::AnnotationSidecarReader sidecar(out / "train-00000.chunks");
  EXPECT_EQ(sidecar.type_names(), types);
  // Most determiner targets are "the" or "a"; their controllers are never special tokens.
  std::int64_t determiners = 0, articles = 0;
  for_each_chunk(out, [&](const dac::text::Vocab& vocab, std::span<const std::int32_t> ids,
                          const dac::text::ChunkView& chunk) {
    if (chunk.type != 3) return;
    ++determiners;
    const std::string target = vocab.token(ids[chunk.target]);
    articles += target == "the" || target == "a" || target == "an";
    EXPECT_NE(vocab.token(ids[chunk.controller]), "[SEP]");
  });
  EXPECT_GT(determiners, 500);
  EXPECT_GT(articles * 2, determiners);
}

TEST_F(PrepareAnnotationTest, InterruptedAnnotationResumesFromTheCacheWithTheSameOutput) {
  // Three batches of 512 documents; "yak" is in the first batch, "zebra" in the third.
  const std::string corpus = dac::test::ten_word_corpus(1200, {{10, "yak"}, {1100, "zebra"}});
  for (const char* run_dir : {"straight", "killed"}) {
    write_file(dir_ / run_dir / "corpus" / "a.txt", corpus);
    write_file(dir_ / run_dir / "x.toml", experiment(kWhitespaceAnnotator));
  }
  const auto straight = run(dir_ / "straight");
  ASSERT_EQ(straight.exit_code, 0) << straight.err;

  ::setenv("DAC_TEST_PARSER_FAIL_ON", "zebra", 1);
  const auto failed = run(dir_ / "killed");
  ::unsetenv("DAC_TEST_PARSER_FAIL_ON");
  ASSERT_NE(failed.exit_code, 0);
  EXPECT_PRED2(contains, failed.err, "injected parser failure");
  const fs::path killed = stage_dir(dir_ / "killed");
  EXPECT_PRED2(contains, read_file(killed / "annotation-cache.toml"), "batches = 2");

  // The resumed run must not parse the first batch again: parsing "yak" would fail now.
  ::setenv("DAC_TEST_PARSER_FAIL_ON", "yak", 1);
  const auto resumed = run(dir_ / "killed", {"--resume"});
  ::unsetenv("DAC_TEST_PARSER_FAIL_ON");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_PRED2(contains, resumed.out + resumed.err, "reusing the chunks of 2 batches");

  const fs::path reference = stage_dir(dir_ / "straight");
  std::size_t compared = 0;
  for (const auto& item : fs::directory_iterator(reference)) {
    const std::string name = item.path().filename().string();
    if (!(name.ends_with(".tokens") || name.ends_with(".chunks") || name == "shards.toml" ||
          name == "vocab.txt"))
      continue;
    ++compared;
    EXPECT_TRUE(read_file(item.path()) == read_file(killed / name)) << name << " differs";
  }
  EXPECT_GE(compared, 6u);
  const auto counts = [](const fs::path& out) {
    dac::ConfigNode table = dac::parse_toml_file(out / "annotation.toml");
    for (const char* timing : {"parse_seconds", "words_per_second", "annotate_wall_seconds"})
      table.erase(timing);
    return table;
  };
  EXPECT_EQ(counts(reference), counts(killed));
  EXPECT_FALSE(fs::exists(killed / "annotation-cache.bin"));
}

}  // namespace
