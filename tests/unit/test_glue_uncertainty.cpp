// Tests of the GLUE uncertainty estimates: seed spreads, percentile intervals, the bootstrap of the
// median over dev examples and the paired bootstrap of a difference.
#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "dac/error.hpp"
#include "dac/glue/uncertainty.hpp"
#include "support/test_support.hpp"

namespace {

using dac::glue::bootstrap_interval;
using dac::glue::bootstrap_medians;
using dac::glue::BootstrapOptions;
using dac::glue::Interval;
using dac::glue::paired_bootstrap_interval;
using dac::glue::percentile_interval;
using dac::glue::RunScore;
using dac::glue::seed_spread;

// Per run, whether each dev example is right (1) or wrong (0): about `percent_right` percent right,
// spread over the examples differently in every run.
std::vector<std::vector<double>> correctness(std::size_t examples, std::size_t runs,
                                             int percent_right) {
  std::vector<std::vector<double>> right(runs, std::vector<double>(examples));
  for (std::size_t run = 0; run < runs; ++run)
    for (std::size_t i = 0; i < examples; ++i)
      right[run][i] = (i * 37 + run * 11) % 100 < static_cast<std::size_t>(percent_right) ? 1 : 0;
  return right;
}

// Accuracy in percent of each run on the resampled examples.
RunScore accuracy_of(const std::vector<std::vector<double>>& right) {
  return [&right](std::size_t run, const std::vector<std::size_t>& indices) {
    double sum = 0;
    for (std::size_t index : indices) sum += right[run][index];
    return 100 * sum / static_cast<double>(indices.size());
  };
}

std::vector<std::size_t> all_indices(std::size_t examples) {
  std::vector<std::size_t> indices(examples);
  for (std::size_t i = 0; i < examples; ++i) indices[i] = i;
  return indices;
}

TEST(GlueUncertainty, SeedSpreadOfAnOddCountIsTheMiddleValue) {
  const auto spread = seed_spread({83.0, 81.5, 84.25});
  EXPECT_DOUBLE_EQ(spread.median, 83.0);
  EXPECT_DOUBLE_EQ(spread.min, 81.5);
  EXPECT_DOUBLE_EQ(spread.max, 84.25);
  EXPECT_EQ(spread.runs, 3u);
}

TEST(GlueUncertainty, SeedSpreadOfAnEvenCountIsTheMeanOfTheMiddleValues) {
  const auto spread = seed_spread({4, 1, 3, 2});
  EXPECT_DOUBLE_EQ(spread.median, 2.5);
  EXPECT_DOUBLE_EQ(spread.min, 1);
  EXPECT_DOUBLE_EQ(spread.max, 4);
  EXPECT_EQ(spread.runs, 4u);
  EXPECT_DOUBLE_EQ(seed_spread({7}).median, 7);
}

TEST(GlueUncertainty, SeedSpreadOfNoScoresIsAUserError) {
  EXPECT_THROW(seed_spread({}), dac::UserError);
}

TEST(GlueUncertainty, PercentileIntervalInterpolatesBetweenOrderStatistics) {
  std::vector<double> values;
  for (int i = 100; i >= 0; --i) values.push_back(i);
  const Interval ninety = percentile_interval(values, 0.9);
  EXPECT_DOUBLE_EQ(ninety.low, 5);
  EXPECT_DOUBLE_EQ(ninety.high, 95);
  EXPECT_DOUBLE_EQ(ninety.level, 0.9);
  const Interval half = percentile_interval({4, 1, 3, 2}, 0.5);
  EXPECT_DOUBLE_EQ(half.low, 1.75);
  EXPECT_DOUBLE_EQ(half.high, 3.25);
  EXPECT_THROW(percentile_interval({}, 0.95), dac::UserError);
  EXPECT_THROW(percentile_interval({1, 2}, 1.0), dac::UserError);
}

TEST(GlueUncertainty, OneExampleLeavesNothingToResample) {
  const RunScore score = [](std::size_t run, const std::vector<std::size_t>&) {
    return 50.0 + static_cast<double>(run);
  };
  const Interval interval = bootstrap_interval(1, 3, score);
  EXPECT_DOUBLE_EQ(interval.low, 51);
  EXPECT_DOUBLE_EQ(interval.high, 51);
  EXPECT_DOUBLE_EQ(interval.level, 0.95);
}

TEST(GlueUncertainty, ResamplesAreFixedByTheSeed) {
  // Golden values: the resamples come from std::mt19937_64 (specified by the standard) and an own
  // index draw, so they are the same with every standard library.
  const RunScore first_index = [](std::size_t, const std::vector<std::size_t>& indices) {
    return static_cast<double>(indices.front());
  };
  const std::vector<double> medians = bootstrap_medians(1000, 1, first_index, {5, 0.95, 42});
  EXPECT_EQ(medians, (std::vector<double>{406, 710, 258, 2, 458}));
}

TEST(GlueUncertainty, BootstrapIntervalContainsTheFullSampleMedian) {
  const auto right = correctness(500, 5, 80);
  const RunScore score = accuracy_of(right);
  std::vector<double> full;
  for (std::size_t run = 0; run < right.size(); ++run) full.push_back(score(run, all_indices(500)));
  const double median = seed_spread(full).median;
  const Interval interval = bootstrap_interval(500, right.size(), score);
  EXPECT_LE(interval.low, median);
  EXPECT_GE(interval.high, median);
  EXPECT_LT(interval.low, interval.high);
}

TEST(GlueUncertainty, BootstrapIntervalNarrowsWithMoreExamples) {
  const auto few = correctness(100, 3, 80);
  const auto many = correctness(10000, 3, 80);
  const Interval wide = bootstrap_interval(100, 3, accuracy_of(few), {300, 0.95, 1});
  const Interval narrow = bootstrap_interval(10000, 3, accuracy_of(many), {300, 0.95, 1});
  EXPECT_LT(narrow.high - narrow.low, (wide.high - wide.low) / 4);
  EXPECT_GT(narrow.high - narrow.low, 0);
}

TEST(GlueUncertainty, TheSameSeedGivesTheSameInterval) {
  const auto right = correctness(300, 4, 70);
  const BootstrapOptions options{200, 0.9, 7};
  const Interval a = bootstrap_interval(300, 4, accuracy_of(right), options);
  const Interval b = bootstrap_interval(300, 4, accuracy_of(right), options);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  const auto medians = bootstrap_medians(300, 4, accuracy_of(right), options);
  EXPECT_EQ(medians, bootstrap_medians(300, 4, accuracy_of(right), options));
  EXPECT_NE(medians, bootstrap_medians(300, 4, accuracy_of(right), {200, 0.9, 8}));
}

TEST(GlueUncertainty, PairedIntervalOfAModelAgainstItselfIsZero) {
  const auto right = correctness(400, 5, 75);
  const Interval interval =
      paired_bootstrap_interval(400, 5, accuracy_of(right), 5, accuracy_of(right), {200, 0.95, 3});
  EXPECT_EQ(interval.low, 0);
  EXPECT_EQ(interval.high, 0);
}

TEST(GlueUncertainty, PairedIntervalOfAClearlyBetterModelIsAboveZero) {
  const auto better = correctness(400, 5, 90);
  const auto worse = correctness(400, 3, 70);
  const Interval interval =
      paired_bootstrap_interval(400, 5, accuracy_of(better), 3, accuracy_of(worse), {300, 0.95, 3});
  EXPECT_GT(interval.low, 0);
  EXPECT_LT(interval.low, 20);
  EXPECT_GT(interval.high, 20);
  const Interval reversed =
      paired_bootstrap_interval(400, 3, accuracy_of(worse), 5, accuracy_of(better), {300, 0.95, 3});
  EXPECT_DOUBLE_EQ(reversed.low, -interval.high);
  EXPECT_DOUBLE_EQ(reversed.high, -interval.low);
}

TEST(GlueUncertainty, InvalidBootstrapsAreUserErrors) {
  const auto right = correctness(10, 1, 50);
  const std::string no_examples =
      dac::test::error_of<dac::UserError>([&] { bootstrap_interval(0, 1, accuracy_of(right)); });
  EXPECT_PRED2(dac::test::contains, no_examples, "no examples");
  EXPECT_THROW(bootstrap_interval(10, 0, accuracy_of(right)), dac::UserError);
  EXPECT_THROW(bootstrap_interval(10, 1, accuracy_of(right), {0, 0.95, 0}), dac::UserError);
  EXPECT_THROW(bootstrap_interval(10, 1, accuracy_of(right), {10, 0, 0}), dac::UserError);
}

}  // namespace
