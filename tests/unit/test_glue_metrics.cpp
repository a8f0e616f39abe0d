// Tests of the GLUE metrics on hand-computed cases and of the GLUE average, full and partial.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "dac/error.hpp"
#include "dac/glue/glue_average.hpp"
#include "dac/glue/metrics.hpp"
#include "support/test_support.hpp"

namespace dac::glue {
namespace {

using dac::test::contains;
using dac::test::error_of;

TEST(GlueMetrics, AccuracyIsTheShareOfEqualEntries) {
  EXPECT_DOUBLE_EQ(accuracy({0, 1, 1, 0}, {0, 1, 0, 0}), 0.75);
  EXPECT_DOUBLE_EQ(accuracy({2, 1}, {2, 1}), 1.0);
  EXPECT_DOUBLE_EQ(accuracy({}, {}), 0.0);
}

TEST(GlueMetrics, EveryMetricRejectsVectorsOfDifferentLengths) {
  EXPECT_PRED2(contains, error_of<UserError>([] {
                 accuracy({1, 0}, {1});
               }),
               "2 predictions for 1 gold labels");
  error_of<UserError>([] { f1({1}, {}); });
  error_of<UserError>([] { matthews_correlation({1}, {1, 0}); });
  error_of<UserError>([] { pearson({1, 2}, {1, 2, 3}); });
  error_of<UserError>([] { spearman({1, 2, 3}, {1}); });
}

TEST(GlueMetrics, F1OfThePositiveClass) {
  // tp 2, fp 1, fn 1: 2·2 / (2·2 + 1 + 1).
  EXPECT_DOUBLE_EQ(f1({1, 1, 0, 0, 1}, {1, 0, 0, 1, 1}), 4.0 / 6.0);
  // Class 0 as the positive one: tp 1, fp 1, fn 1.
  EXPECT_DOUBLE_EQ(f1({1, 1, 0, 0, 1}, {1, 0, 0, 1, 1}, 0), 0.5);
  // No positives predicted nor gold.
  EXPECT_DOUBLE_EQ(f1({0, 0, 0}, {0, 0, 0}), 0.0);
  // Positives only predicted, none right.
  EXPECT_DOUBLE_EQ(f1({1, 1}, {0, 0}), 0.0);
}

TEST(GlueMetrics, MatthewsCorrelationMatchesKnownValues) {
  // scikit-learn's documented example: y_true [+1, +1, +1, -1], y_pred [+1, -1, +1, +1].
  EXPECT_NEAR(matthews_correlation({1, 0, 1, 1}, {1, 1, 1, 0}), -1.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(matthews_correlation({0, 1, 1, 0}, {0, 1, 1, 0}), 1.0);
  EXPECT_DOUBLE_EQ(matthews_correlation({1, 0, 0, 1}, {0, 1, 1, 0}), -1.0);
  // A constant labeling on either side.
  EXPECT_DOUBLE_EQ(matthews_correlation({1, 1, 1, 1}, {0, 1, 1, 0}), 0.0);
  EXPECT_DOUBLE_EQ(matthews_correlation({0, 1, 1, 0}, {0, 0, 0, 0}), 0.0);
  // Three classes: 3 of 6 correct, every class twice on each side: (3·6 − 12) / (36 − 12).
  EXPECT_DOUBLE_EQ(matthews_correlation({0, 1, 1, 2, 2, 0}, {0, 0, 1, 1, 2, 2}), 0.25);
}

TEST(GlueMetrics, PearsonCorrelation) {
  // Deviations (−2,−1,0,1,2) and (−2,0,1,0,1): 6 / sqrt(10 · 6).
  EXPECT_NEAR(pearson({1, 2, 3, 4, 5}, {2, 4, 5, 4, 5}), 6.0 / std::sqrt(60.0), 1e-12);
  EXPECT_DOUBLE_EQ(pearson({1, 2, 3}, {10, 20, 30}), 1.0);
  EXPECT_DOUBLE_EQ(pearson({1, 2, 3}, {3, 2, 1}), -1.0);
  EXPECT_DOUBLE_EQ(pearson({0.1, 0.1, 0.1}, {1, 2, 3}), 0.0);
  EXPECT_DOUBLE_EQ(pearson({1, 2, 3}, {4, 4, 4}), 0.0);
  EXPECT_DOUBLE_EQ(pearson({}, {}), 0.0);
}

TEST(GlueMetrics, SpearmanGivesTiesTheirAverageRank) {
  // Ranks (1, 2.5, 2.5, 4) and (1, 2, 3, 4): 4.5 / sqrt(4.5 · 5).
  EXPECT_NEAR(spearman({1, 2, 2, 3}, {1, 2, 3, 4}), 4.5 / std::sqrt(4.5 * 5), 1e-12);
  // Monotonic but not linear.
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {1, 8, 27, 64}), 1.0);
  EXPECT_DOUBLE_EQ(spearman({3, 1, 2}, {30, 10, 20}), 1.0);
  EXPECT_DOUBLE_EQ(spearman({5, 5, 5}, {1, 2, 3}), 0.0);
}

// The recipe's reference row for the first Crammed BERT: average 78.6.
std::map<std::string, double> crammed_bert_scores() {
  return {{"MNLI-m", 83.9}, {"MNLI-mm", 84.1}, {"QQP", 87.3},  {"QNLI", 89.5}, {"SST-2", 92.2},
          {"CoLA", 44.5},   {"STS-B", 84.6},   {"MRPC", 87.5}, {"RTE", 53.8}};
}

TEST(GlueAverage, ColumnsFollowTheRecipesTable) {
  std::vector<std::string> headers;
  for (const GlueColumn& column : glue_columns()) headers.push_back(column.header);
  EXPECT_EQ(headers, (std::vector<std::string>{"MNLI-m", "MNLI-mm", "QQP", "QNLI", "SST-2", "CoLA",
                                               "STS-B", "MRPC", "RTE"}));
  EXPECT_EQ(glue_columns()[1].split, "validation_mismatched");
  EXPECT_EQ(glue_columns()[5].metric, "matthews");
}

TEST(GlueAverage, FullAverageOfTheNineColumns) {
  std::map<std::string, double> scores = crammed_bert_scores();
  scores["WNLI"] = 0;  // not a column: ignored
  const GlueAverage average = glue_average(scores);
  EXPECT_NEAR(average.value, 78.6, 1e-9);
  EXPECT_EQ(average.present, 9);
  EXPECT_FALSE(average.partial());
  EXPECT_TRUE(average.missing.empty());
  EXPECT_EQ(average.format(), "78.60");
}

TEST(GlueAverage, PartialAverageSaysWhatIsMissing) {
  std::map<std::string, double> scores = crammed_bert_scores();
  scores.erase("MNLI-m");
  scores.erase("MNLI-mm");
  scores["QQP"] = std::numeric_limits<double>::quiet_NaN();  // no score either
  const GlueAverage average = glue_average(scores);
  EXPECT_NEAR(average.value, (89.5 + 92.2 + 44.5 + 84.6 + 87.5 + 53.8) / 6, 1e-9);
  EXPECT_TRUE(average.partial());
  EXPECT_EQ(average.missing, (std::vector<std::string>{"MNLI-m", "MNLI-mm", "QQP"}));
  EXPECT_EQ(average.format(), "75.35 (partial: 6 of 9; missing MNLI-m, MNLI-mm, QQP)");
}

TEST(GlueAverage, NoScoresAtAll) {
  const GlueAverage average = glue_average({});
  EXPECT_EQ(average.present, 0);
  EXPECT_EQ(average.value, 0);
  EXPECT_EQ(average.missing.size(), 9u);
  EXPECT_EQ(average.format(), "n/a");
}

}  // namespace
}  // namespace dac::glue
