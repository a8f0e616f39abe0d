// Tests for scoring extracted chunks against gold ones: the matching counts
// (dac/syntax/chunk_matching.hpp) and `dacrun eval-extract` on a tiny gold/system pair.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "dac/syntax/chunk_matching.hpp"
#include "support/test_support.hpp"

namespace {

using dac::Chunk;
using dac::test::contains;

TEST(ChunkMatching, CountsExactAndAnchorMatchesOneToOne) {
  const std::vector<Chunk> gold = {{{0, 1, 2}, 1, 2}, {{0, 1}, 1, 0}, {{0, 1}, 1, 0}};
  const std::vector<Chunk> system = {{{1, 2}, 1, 2}, {{0, 1}, 1, 0}, {{3, 4}, 4, 3}};
  dac::ChunkMatchCounts counts;
  dac::count_chunk_matches(gold, system, counts);
  EXPECT_EQ(counts.gold, 3u);
  EXPECT_EQ(counts.system, 3u);
  EXPECT_EQ(counts.exact, 1u);    // the duplicate gold chunk matches once
  EXPECT_EQ(counts.anchors, 2u);  // 1 -> 2 with other members counts
  dac::count_chunk_matches({}, {{{5, 6}, 5, 6}}, counts);
  EXPECT_EQ(counts.system, 4u);

  const dac::PrecisionRecall scores = dac::precision_recall(2, 3, 4);
  EXPECT_DOUBLE_EQ(scores.precision, 0.5);
  EXPECT_DOUBLE_EQ(scores.recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(scores.f1, 4.0 / 7);
  const dac::PrecisionRecall empty = dac::precision_recall(0, 0, 0);
  EXPECT_EQ(empty.precision + empty.recall + empty.f1, 0);
}

// s1 "The dogs bark .", s2 "A cat saw the bird".
const std::string kSentence1Comments = "# sent_id = s1\n# text = The dogs bark .\n";
const std::string kSentence2 =
    "# sent_id = s2\n"
    "# text = A cat saw the bird\n"
    "1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tcat\tcat\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3\tsaw\tsee\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_\n"
    "5\tbird\tbird\tNOUN\tNN\t_\t3\tobj\t_\t_\n"
    "\n";
const std::string kGold = kSentence1Comments +
                          "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
                          "2\tdogs\tdog\tNOUN\tNNS\t_\t3\tnsubj\t_\t_\n"
                          "3\tbark\tbark\tVERB\tVBP\t_\t0\troot\t_\t_\n"
                          "4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
                          "\n" +
                          kSentence2;
// The parser attached "The" to the verb: subject_verb keeps its anchors but loses a member, and
// determiner_noun misses one chunk.
const std::string kSystem = kSentence1Comments +
                            "1\tThe\tthe\tDET\tDT\t_\t3\tdet\t_\t_\n"
                            "2\tdogs\tdog\tNOUN\tNNS\t_\t3\tnsubj\t_\t_\n"
                            "3\tbark\tbark\tVERB\tVBP\t_\t0\troot\t_\t_\n"
                            "4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
                            "\n" +
                            kSentence2;

std::vector<std::string> row_of(const std::string& table, const std::string& type) {
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::vector<std::string> row{std::istream_iterator<std::string>(fields), {}};
    if (!row.empty() && row[0] == type) return row;
  }
  return {};
}

class EvalExtractCliTest : public ::testing::Test {
 protected:
  dac::test::CommandResult eval(const std::string& system, std::vector<std::string> more = {}) {
    dac::test::write_file(gold_, kGold);
    dac::test::write_file(system_, system);
    std::vector<std::string> args = {"eval-extract", "--gold", gold_.string(), "--system",
                                     system_.string()};
    args.insert(args.end(), more.begin(), more.end());
    return dac::test::run_dacrun(args);
  }

  dac::test::TempDir dir_;
  std::filesystem::path gold_ = dir_ / "gold.conllu";
  std::filesystem::path system_ = dir_ / "system.conllu";
};

TEST_F(EvalExtractCliTest, PrintsCountsPrecisionRecallAndF1PerType) {
  const auto result =
      eval(kSystem, {"--extractor", "subject_verb", "--extractor", "determiner_noun"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(row_of(result.out, "subject_verb"),
            (std::vector<std::string>{"subject_verb", "2", "2", "50.00", "50.00", "50.00", "100.00",
                                      "100.00", "100.00"}))
      << result.out;
  EXPECT_EQ(row_of(result.out, "determiner_noun"),
            (std::vector<std::string>{"determiner_noun", "3", "2", "100.00", "66.67", "80.00",
                                      "100.00", "66.67", "80.00"}))
      << result.out;
  EXPECT_TRUE(row_of(result.out, "verb_object").empty());
  EXPECT_PRED2(contains, result.err, "2 sentences, 9 words");
}

TEST_F(EvalExtractCliTest, DefaultsToTheEightBuiltInExtractorsAndTakesTheirOptions) {
  const auto result = eval(kSystem, {"--set", "subject_verb.span=anchors"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* type :
       {"subject_verb", "verb_object", "adjective_noun", "determiner_noun", "predicate_adjective",
        "noun_compound", "preposition_object", "adverb_verb"})
    EXPECT_FALSE(row_of(result.out, type).empty()) << type << " missing from\n" << result.out;
  // Anchors only: the system's subject_verb chunks are now exact.
  EXPECT_EQ(row_of(result.out, "subject_verb")[3], "100.00");
  EXPECT_EQ(row_of(result.out, "verb_object")[1], "1");

  const auto unknown =
      eval(kSystem, {"--extractor", "subject_verb", "--set", "verb_object.span=anchors"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_PRED2(contains, unknown.err, "'verb_object' is not one of the extractors evaluated");
  const auto bad = eval(kSystem, {"--set", "subject_verb.span=all"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_PRED2(contains, bad.err, "subject_verb.span");
}

TEST_F(EvalExtractCliTest, FilesWithOtherWordsAreAnErrorNamingFileSentenceAndLine) {
  std::string other = kSystem;
  other.replace(other.find("\tcat\tcat"), 8, "\tcats\tcat");
  const auto words = eval(other);
  EXPECT_EQ(words.exit_code, 2);
  EXPECT_PRED2(contains, words.err,
               system_.string() + ":11: sentence 2 (sent_id s2), word 2 is 'cats' but " +
                   gold_.string() + ":11 has 'cat'");
  EXPECT_TRUE(words.out.empty());

  const auto shorter = eval(kSystem.substr(0, kSystem.find("# sent_id = s2")));
  EXPECT_EQ(shorter.exit_code, 2);
  EXPECT_PRED2(contains, shorter.err,
               gold_.string() + ":8: sentence 2 (sent_id s2) has no counterpart: " +
                   system_.string() + " ends after 1 sentences");

  std::string fewer = kSystem;
  fewer.erase(fewer.find("4\t.\t."),
              fewer.find("\n", fewer.find("4\t.\t.")) - fewer.find("4\t.\t.") + 1);
  const auto count = eval(fewer);
  EXPECT_EQ(count.exit_code, 2);
  EXPECT_PRED2(contains, count.err,
               system_.string() + ":1: sentence 1 (sent_id s1) has 3 words but " + gold_.string() +
                   ":1 has 4");
}

}  // namespace
