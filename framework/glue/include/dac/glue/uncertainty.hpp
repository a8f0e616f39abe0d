// How sure a GLUE number is: the spread over fine-tuning seeds (median, min, max) and percentile
// bootstrap intervals over dev examples, for one model's median-of-seeds score and for the
// difference between two models scored on the same examples (paired). No torch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace dac::glue {

struct SeedSpread {
  double median = 0;  // of an even count: the mean of the two middle values
  double min = 0;
  double max = 0;
  std::size_t runs = 0;
};
// UserError for no scores.
SeedSpread seed_spread(std::vector<double> scores);

struct Interval {
  double low = 0;
  double high = 0;
  double level = 0.95;
};

struct BootstrapOptions {
  int resamples = 1000;
  double level = 0.95;
  std::uint64_t seed = 0;
};

// The score of one fine-tuning run (predictions of run `run`) on the examples `indices` (a
// resample of the dev set, with repeats).
using RunScore = std::function<double(std::size_t run, const std::vector<std::size_t>& indices)>;

// The bootstrap distribution: for each of options.resamples resamples of the dev set's `examples`
// examples (drawn with replacement, the same resample for every run), the median over `runs`
// runs of run_score. The resamples depend on options.seed and `examples` alone, so two calls with
// both equal see the same resamples (their element-wise difference is a paired bootstrap).
std::vector<double> bootstrap_medians(std::size_t examples, std::size_t runs,
                                      const RunScore& run_score,
                                      const BootstrapOptions& options = {});

// The central `level` percentile interval of a bootstrap distribution (quantiles interpolated
// linearly between order statistics); UserError for no values or a level outside (0, 1).
Interval percentile_interval(std::vector<double> values, double level);

// Percentile interval of the median over `runs` runs of run_score, the dev set's `examples`
// examples resampled with replacement (the same resample for every run).
Interval bootstrap_interval(std::size_t examples, std::size_t runs, const RunScore& run_score,
                            const BootstrapOptions& options = {});

// Percentile interval of median(a) − median(b) where both models are scored on the same resample
// each time (a paired bootstrap). Models may have different run counts.
Interval paired_bootstrap_interval(std::size_t examples, std::size_t runs_a, const RunScore& a,
                                   std::size_t runs_b, const RunScore& b,
                                   const BootstrapOptions& options = {});

}  // namespace dac::glue
