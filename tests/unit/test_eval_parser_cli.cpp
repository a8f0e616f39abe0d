// Tests for `dacrun segment` and `dacrun eval-parser`: the CoNLL-U that segment writes (readable,
// multiword tokens, SpaceAfter, newdoc/newpar), the score table, usage errors, and segmenting
// UD English-EWT dev from its "# text" lines and scoring it end to end, above a measured floor.
#include <gtest/gtest.h>

#include <sstream>

#include "dac/syntax/conllu.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;
using dac::test::run_dacrun;

// Token, sentence and word F1 of the segmenter on EWT dev, measured when it was written (99.40,
// 88.50, 99.10) less a margin: a lower score is a regression.
constexpr double kDevTokenF1Floor = 99.0;
constexpr double kDevSentenceF1Floor = 86.5;
constexpr double kDevWordF1Floor = 98.7;

// The F1 column of `metric` in an eval-parser table; -1 when absent.
double f1_of(const std::string& table, const std::string& metric) {
  std::istringstream in(table);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(metric + " ")) continue;
    return std::stod(line.substr(line.rfind('|') + 1));
  }
  return -1;
}

constexpr const char* kGold =
    "# newdoc id = d1\n"
    "# sent_id = a\n"
    "# newpar\n"
    "# text = I don't bark.\n"
    "1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n"
    "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n"
    "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n"
    "4\tbark\tbark\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n"
    "5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n"
    "\n"
    "# sent_id = b\n"
    "# text = Dogs sleep\n"
    "1\tDogs\tdog\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n"
    "2\tsleep\tsleep\tVERB\tVBP\t_\t0\troot\t_\t_\n"
    "\n"
    "# sent_id = c\n"
    "# newpar\n"
    "# text = Yes.\n"
    "1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\tSpaceAfter=No\n"
    "2\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n"
    "\n";

class EvalParserCliTest : public ::testing::Test {
 protected:
  EvalParserCliTest() { dac::test::write_file(gold_, kGold); }

  dac::test::TempDir dir_;
  fs::path gold_ = dir_ / "gold.conllu";
};

TEST_F(EvalParserCliTest, GoldAgainstItselfPrintsOneHundredEverywhere) {
  const auto result =
      run_dacrun({"eval-parser", "--gold", gold_.string(), "--system", gold_.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_PRED2(contains, result.out, "Metric       | Precision |    Recall |  F1 Score");
  for (const char* metric : {"Tokens", "Sentences", "Words", "UPOS", "UAS", "LAS", "LAS+subtypes"})
    EXPECT_DOUBLE_EQ(f1_of(result.out, metric), 100.0) << metric;
}

TEST_F(EvalParserCliTest, DifferentTextsAreAUserError) {
  std::string other = kGold;
  other.replace(other.find("\tDogs\t"), 6, "\tCats\t");
  const fs::path system = dir_ / "system.conllu";
  dac::test::write_file(system, other);
  const auto result =
      run_dacrun({"eval-parser", "--gold", gold_.string(), "--system", system.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "differ");
  EXPECT_PRED2(contains, result.err, "sentence 'b'");
}

TEST_F(EvalParserCliTest, MissingOptionIsAUsageError) {
  const auto result = run_dacrun({"eval-parser", "--gold", gold_.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "system");
}

TEST_F(EvalParserCliTest, SegmentWritesReadableConllu) {
  const fs::path input = dir_ / "input.txt";
  dac::test::write_file(input, "I don't bark. Dogs sleep\n\nYes.\n");
  const fs::path output = dir_ / "out.conllu";
  const auto result =
      run_dacrun({"segment", "--input", input.string(), "--output", output.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string conllu = dac::test::read_file(output);
  EXPECT_PRED2(contains, conllu, "# newdoc\n# newpar\n# sent_id = 1\n# text = I don't bark.\n");
  EXPECT_PRED2(contains, conllu, "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\t_\t_\t_\t_\t1\t_");
  EXPECT_PRED2(contains, conllu, "4\tbark\t_\t_\t_\t_\t1\t_\t_\tSpaceAfter=No\n");
  EXPECT_PRED2(contains, conllu, "# sent_id = 2\n# text = Dogs sleep\n1\tDogs\t_\t_\t_\t_\t0\t_");
  EXPECT_PRED2(contains, conllu, "# newpar\n# sent_id = 3\n# text = Yes.\n");
  const auto sentences = dac::read_conllu_file(output);
  ASSERT_EQ(sentences.size(), 3u);
  EXPECT_EQ(sentences[0].words.size(), 5u);
  EXPECT_EQ(sentences[0].words[2].begin, 4u);  // offsets in "# text" come back on reading

  // Its text is the gold's: scoring it works, and the sentences here match the gold's.
  const auto scored =
      run_dacrun({"eval-parser", "--gold", gold_.string(), "--system", output.string()});
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  EXPECT_DOUBLE_EQ(f1_of(scored.out, "Tokens"), 100.0);
  EXPECT_DOUBLE_EQ(f1_of(scored.out, "Sentences"), 100.0);
}

TEST_F(EvalParserCliTest, SegmentRebuildsTheTextOfATreebank) {
  const auto result = run_dacrun({"segment", "--input", gold_.string(), "--format", "conllu-text"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_PRED2(contains, result.out, "# newdoc id = d1\n# newpar\n# sent_id = 1\n");
  EXPECT_PRED2(contains, result.out, "# text = Yes.\n");
  EXPECT_PRED2(contains, result.err, "1 documents, 3 sentences, 9 words");
}

TEST_F(EvalParserCliTest, SegmentRejectsBadOptions) {
  const auto format = run_dacrun({"segment", "--input", gold_.string(), "--format", "xml"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_PRED2(contains, format.err, "unknown --format 'xml'");
  const auto missing = run_dacrun({"segment", "--input", (dir_ / "absent.txt").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_PRED2(contains, missing.err, "cannot read");
  const auto zero = run_dacrun({"segment", "--input", gold_.string(), "--max-sentence-words", "0"});
  EXPECT_EQ(zero.exit_code, 2);
}

TEST_F(EvalParserCliTest, SegmentsEwtDevAboveTheMeasuredFloor) {
  const auto data = dac::test::test_data_dir();
  const fs::path dev = data ? *data / "ud_english_ewt/en_ewt-ud-dev.conllu" : fs::path();
  if (!data || !fs::exists(dev))
    GTEST_SKIP() << "UD English-EWT dev not found (set DAC_TEST_DATA to the shared data folder)";
  const fs::path output = dir_ / "dev.segmented.conllu";
  const auto segmented = run_dacrun(
      {"segment", "--input", dev.string(), "--format", "conllu-text", "--output", output.string()});
  ASSERT_EQ(segmented.exit_code, 0) << segmented.err;
  const auto scored =
      run_dacrun({"eval-parser", "--gold", dev.string(), "--system", output.string()});
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  EXPECT_GE(f1_of(scored.out, "Tokens"), kDevTokenF1Floor) << scored.out;
  EXPECT_GE(f1_of(scored.out, "Sentences"), kDevSentenceF1Floor) << scored.out;
  EXPECT_GE(f1_of(scored.out, "Words"), kDevWordF1Floor) << scored.out;
}

}  // namespace
