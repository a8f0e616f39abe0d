// Seed spreads and percentile bootstrap intervals over dev examples. The resamples come from a
// fixed generator (std::mt19937_64, whose output the standard specifies) and an own uniform index
// draw, so an interval is the same with every standard library.
#include "dac/glue/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "dac/error.hpp"

namespace dac::glue {
namespace {

// The median of `values` (reordered); of an even count the mean of the two middle values.
double median_of(std::vector<double>& values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) return values[middle];
  return (values[middle - 1] + values[middle]) / 2;
}

// A uniform draw from [0, bound): draws below 2^64 mod bound are rejected so that every residue
// is equally likely.
std::uint64_t uniform_below(std::mt19937_64& generator, std::uint64_t bound) {
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t draw = generator();
    if (draw >= threshold) return draw % bound;
  }
}

void check_level(double level) {
  if (!(level > 0 && level < 1))
    throw UserError("bootstrap level must lie strictly between 0 and 1, got " +
                    std::to_string(level));
}

void check_bootstrap(std::size_t examples, std::size_t runs, const BootstrapOptions& options) {
  if (examples == 0) throw UserError("bootstrap over dev examples: the dev set has no examples");
  if (runs == 0) throw UserError("bootstrap over dev examples: no runs to take the median of");
  if (options.resamples < 1)
    throw UserError("bootstrap resamples must be at least 1, got " +
                    std::to_string(options.resamples));
  check_level(options.level);
}

// The quantile `p` of sorted values, interpolated linearly between order statistics.
double quantile_of_sorted(const std::vector<double>& sorted, double p) {
  const double at = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at));
  if (below + 1 >= sorted.size()) return sorted.back();
  const double fraction = at - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

}  // namespace

SeedSpread seed_spread(std::vector<double> scores) {
  if (scores.empty()) throw UserError("seed spread of no scores");
  SeedSpread spread;
  spread.runs = scores.size();
  spread.median = median_of(scores);  // sorts
  spread.min = scores.front();
  spread.max = scores.back();
  return spread;
}

std::vector<double> bootstrap_medians(std::size_t examples, std::size_t runs,
                                      const RunScore& run_score, const BootstrapOptions& options) {
  check_bootstrap(examples, runs, options);
  std::mt19937_64 generator(options.seed);
  std::vector<std::size_t> indices(examples);
  std::vector<double> scores(runs);
  std::vector<double> medians;
  medians.reserve(static_cast<std::size_t>(options.resamples));
  for (int resample = 0; resample < options.resamples; ++resample) {
    for (std::size_t& index : indices) index = uniform_below(generator, examples);
    for (std::size_t run = 0; run < runs; ++run) scores[run] = run_score(run, indices);
    medians.push_back(median_of(scores));
  }
  return medians;
}

Interval percentile_interval(std::vector<double> values, double level) {
  check_level(level);
  if (values.empty()) throw UserError("percentile interval of no values");
  std::sort(values.begin(), values.end());
  const double tail = (1 - level) / 2;
  return {quantile_of_sorted(values, tail), quantile_of_sorted(values, 1 - tail), level};
}

Interval bootstrap_interval(std::size_t examples, std::size_t runs, const RunScore& run_score,
                            const BootstrapOptions& options) {
  return percentile_interval(bootstrap_medians(examples, runs, run_score, options), options.level);
}

Interval paired_bootstrap_interval(std::size_t examples, std::size_t runs_a, const RunScore& a,
                                   std::size_t runs_b, const RunScore& b,
                                   const BootstrapOptions& options) {
  // The same seed and example count give both models the same resamples.
  std::vector<double> differences = bootstrap_medians(examples, runs_a, a, options);
  const std::vector<double> medians_b = bootstrap_medians(examples, runs_b, b, options);
  for (std::size_t i = 0; i < differences.size(); ++i) differences[i] -= medians_b[i];
  return percentile_interval(std::move(differences), options.level);
}

}  // namespace dac::glue
