// Tests of agreement probing without a model: reading minimal pairs from JSON Lines (BLiMP's
// fields and the synthetic tasks' agreement_type), errors naming file:line, the agreement type of
// a pair, and the accuracy per file, per type and in total with ties counted as failures.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "dac/error.hpp"
#include "dac/glue/minimal_pairs.hpp"
#include "dac/glue/probe_report.hpp"
#include "dac/json_config.hpp"
#include "support/test_support.hpp"

namespace {

using dac::UserError;
using dac::glue::agreement_type_of;
using dac::glue::MinimalPair;
using dac::glue::PairScore;
using dac::glue::parse_minimal_pairs;
using dac::glue::ScoredPairs;
using dac::test::contains;
using dac::test::error_of;

const std::string kBlimpLine =
    R"({"sentence_good": "Raymond is selling this sketch.", "sentence_bad": "Raymond is selling )"
    R"(this sketches.", "one_prefix_prefix": "Raymond is selling this", "field": "morphology", )"
    R"("linguistics_term": "determiner_noun_agreement", "UID": "determiner_noun_agreement_1", )"
    R"("simple_LM_method": true, "lexically_identical": true, "pairID": "0"})";

const std::string kSyntheticLine =
    R"({"sentence_good": "the dogs near the cat run .", "sentence_bad": "the dogs near the cat )"
    R"(runs .", "field": "morphology", "linguistics_term": "subject_verb_agreement", "UID": )"
    R"("synthetic_subject_verb_agreement", "pairID": "7", "agreement_type": "subject_verb", )"
    R"("attractor_distance": 2})";

TEST(MinimalPairs, ReadsBlimpAndSyntheticLines) {
  const std::string text = kBlimpLine + "\n\n" + kSyntheticLine + "\r\n";
  const std::vector<MinimalPair> pairs = parse_minimal_pairs(text, "pairs.jsonl");
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].good, "Raymond is selling this sketch.");
  EXPECT_EQ(pairs[0].bad, "Raymond is selling this sketches.");
  EXPECT_EQ(pairs[0].agreement_type, "determiner_noun");
  EXPECT_EQ(pairs[0].uid, "determiner_noun_agreement_1");
  EXPECT_EQ(pairs[0].pair_id, "0");
  EXPECT_EQ(pairs[0].line, 1u);
  EXPECT_EQ(pairs[1].good, "the dogs near the cat run .");
  EXPECT_EQ(pairs[1].agreement_type, "subject_verb");
  EXPECT_EQ(pairs[1].pair_id, "7");
  EXPECT_EQ(pairs[1].line, 3u) << "the blank line is skipped but counted";
}

TEST(MinimalPairs, MaxPairsKeepsTheFirstOnes) {
  const std::string text = kBlimpLine + "\n" + kSyntheticLine + "\n" + "not json\n";
  const std::vector<MinimalPair> pairs = parse_minimal_pairs(text, "pairs.jsonl", 2);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[1].agreement_type, "subject_verb");
}

TEST(MinimalPairs, AgreementTypeComesFromTheFieldThenTheTermThenOther) {
  EXPECT_EQ(agreement_type_of("verb_object", "subject_verb_agreement"), "verb_object");
  EXPECT_EQ(agreement_type_of("", "determiner_noun_agreement"), "determiner_noun");
  EXPECT_EQ(agreement_type_of("", "subject_verb_agreement"), "subject_verb");
  EXPECT_EQ(agreement_type_of("", "anaphor_agreement"), "anaphor");
  EXPECT_EQ(agreement_type_of("", "island_effects"), "island_effects");
  EXPECT_EQ(agreement_type_of("", ""), "other");
  const auto pairs = parse_minimal_pairs(R"({"sentence_good": "a", "sentence_bad": "b"})", "x");
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].agreement_type, "other");
  EXPECT_EQ(pairs[0].uid, "");
  // BLiMP writes pairID as a string; a number is read as its digits.
  EXPECT_EQ(parse_minimal_pairs(R"({"sentence_good": "a", "sentence_bad": "b", "pairID": 12})", "x")
                .front()
                .pair_id,
            "12");
}

TEST(MinimalPairs, MalformedLinesNameTheFileAndLine) {
  const std::string broken =
      kBlimpLine + "\n" + R"({"sentence_good": "a", "sentence_bad": )" + "\n";
  std::string message = error_of<UserError>([&] { parse_minimal_pairs(broken, "blimp.jsonl"); });
  EXPECT_PRED2(contains, message, "blimp.jsonl:2:");
  EXPECT_PRED2(contains, message, "not a JSON line");

  message = error_of<UserError>(
      [&] { parse_minimal_pairs("\n" + std::string(R"({"sentence_bad": "b"})"), "p.jsonl"); });
  EXPECT_PRED2(contains, message, "p.jsonl:2:");
  EXPECT_PRED2(contains, message, "sentence_good");

  message = error_of<UserError>(
      [&] { parse_minimal_pairs(R"({"sentence_good": 3, "sentence_bad": "b"})", "p.jsonl"); });
  EXPECT_PRED2(contains, message, "p.jsonl:1:");
  EXPECT_PRED2(contains, message, "expected a string");

  message = error_of<UserError>([&] { parse_minimal_pairs("[1, 2]", "p.jsonl"); });
  EXPECT_PRED2(contains, message, "p.jsonl:1:");
  EXPECT_PRED2(contains, message, "JSON object");
}

TEST(MinimalPairs, AMissingFileIsNamed) {
  const dac::test::TempDir dir;
  const std::string message =
      error_of<UserError>([&] { dac::glue::read_minimal_pairs(dir / "absent.jsonl"); });
  EXPECT_PRED2(contains, message, "absent.jsonl");
}

MinimalPair pair_of(const std::string& type) {
  MinimalPair pair;
  pair.good = "good";
  pair.bad = "bad";
  pair.agreement_type = type;
  return pair;
}

TEST(ProbeAccuracy, CountsPerFilePerTypeAndInTotalWithTiesAsFailures) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ScoredPairs blimp{.path = "data/blimp/determiner_noun_agreement_1.jsonl"};
  blimp.pairs = {pair_of("determiner_noun"), pair_of("determiner_noun"), pair_of("subject_verb")};
  blimp.scores = {{.good = -3.0, .bad = -4.0},   // right
                  {.good = -5.0, .bad = -5.0},   // a tie: wrong
                  {.good = -2.0, .bad = -1.5}};  // wrong
  ScoredPairs synthetic{.path = "stages/tasks/minimal_pairs.jsonl"};
  synthetic.pairs = {pair_of("subject_verb"), pair_of("subject_verb"), pair_of("adjective_noun")};
  synthetic.scores = {
      {.good = -1.0, .bad = -9.0}, {.good = nan, .bad = -1.0}, {.good = 0, .bad = -1}};

  EXPECT_FALSE((PairScore{.good = -1, .bad = -1}.correct()));
  const dac::glue::ProbeAccuracy accuracy = dac::glue::probe_accuracy({blimp, synthetic});
  ASSERT_EQ(accuracy.files.size(), 2u);
  EXPECT_EQ(accuracy.files[0].name, "determiner_noun_agreement_1.jsonl");
  EXPECT_EQ(accuracy.files[0].correct, 1u);
  EXPECT_EQ(accuracy.files[0].pairs, 3u);
  EXPECT_EQ(accuracy.files[1].name, "minimal_pairs.jsonl");
  EXPECT_EQ(accuracy.files[1].correct, 2u);
  ASSERT_EQ(accuracy.types.size(), 3u);
  EXPECT_EQ(accuracy.types[0].name, "adjective_noun");
  EXPECT_EQ(accuracy.types[0].correct, 1u);
  EXPECT_EQ(accuracy.types[1].name, "determiner_noun");
  EXPECT_EQ(accuracy.types[1].correct, 1u);
  EXPECT_EQ(accuracy.types[1].pairs, 2u);
  EXPECT_EQ(accuracy.types[2].name, "subject_verb");
  EXPECT_EQ(accuracy.types[2].correct, 1u);
  EXPECT_EQ(accuracy.types[2].pairs, 3u);
  EXPECT_EQ(accuracy.total.correct, 3u);
  EXPECT_EQ(accuracy.total.pairs, 6u);
  EXPECT_DOUBLE_EQ(accuracy.total.percent(), 50.0);

  // The text table lines up: every line has its accuracy column ending at the same place.
  const std::string table = dac::glue::probe_table_text(accuracy);
  EXPECT_PRED2(contains, table, "determiner_noun_agreement_1.jsonl");
  EXPECT_PRED2(contains, table, "33.33");
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = table.find('\n', start)) != std::string::npos;
       start = end + 1)
    lines.push_back(table.substr(start, end - start));
  ASSERT_EQ(lines.size(), 7u);  // header, 2 files, 3 types, total
  for (const std::string& line : lines) EXPECT_EQ(line.size(), lines[0].size()) << line;
  EXPECT_EQ(lines.back().substr(lines.back().size() - 5), "50.00");
  EXPECT_EQ(lines.back().rfind("total", 0), 0u);
  EXPECT_PRED2(contains, dac::glue::probe_table_markdown(accuracy),
               "| type | subject_verb | 1 | 3 |");

  // The JSON holds every pair with its scores, and the summary.
  const dac::ConfigNode json = dac::parse_json_config(
      dac::to_json(dac::glue::probe_results_config({blimp, synthetic}, accuracy)), "probe.json");
  EXPECT_EQ(json.find_path("accuracy.total.correct")->as_int(), 3);
  EXPECT_DOUBLE_EQ(json.find_path("accuracy.types.2.accuracy")->as_float(), 100.0 / 3);
  const dac::ConfigNode* tie = json.find_path("files.0.pairs.1");
  ASSERT_NE(tie, nullptr);
  EXPECT_FALSE(tie->find("correct")->as_bool());
  EXPECT_DOUBLE_EQ(tie->find("pll_good")->as_float(), -5.0);
  EXPECT_EQ(json.find_path("files.1.path")->as_string(), "stages/tasks/minimal_pairs.jsonl");
}

TEST(ProbeAccuracy, RefusesScoresThatDoNotMatchThePairs) {
  ScoredPairs file{.path = "p.jsonl", .pairs = {pair_of("subject_verb")}};
  EXPECT_PRED2(contains, error_of<UserError>([&] { dac::glue::probe_accuracy({file}); }),
               "0 scores for 1 minimal pairs");
}

}  // namespace
