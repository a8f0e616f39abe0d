// The GLUE metrics over class indices or regression scores: accuracy, F1, Matthews correlation
// (Gorodkin's R_K, as scikit-learn computes it), Pearson and Spearman correlation.
#include "dac/glue/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <numeric>
#include <string>

#include "dac/error.hpp"

namespace dac::glue {

namespace {

void require_same_length(const char* metric, const std::vector<double>& predicted,
                         const std::vector<double>& gold) {
  if (predicted.size() != gold.size())
    throw UserError(std::string(metric) + ": " + std::to_string(predicted.size()) +
                    " predictions for " + std::to_string(gold.size()) + " gold labels");
}

// 1-based ranks; tied values share the mean of the ranks they span.
std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first;
    while (last + 1 < order.size() && values[order[last + 1]] == values[order[first]]) ++last;
    const double rank = (static_cast<double>(first + last) / 2) + 1;
    for (std::size_t i = first; i <= last; ++i) ranks[order[i]] = rank;
    first = last + 1;
  }
  return ranks;
}

bool constant(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(),
                     [&](double value) { return value == values.front(); });
}

}  // namespace

double accuracy(const std::vector<double>& predicted, const std::vector<double>& gold) {
  require_same_length("accuracy", predicted, gold);
  if (gold.empty()) return 0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < gold.size(); ++i) equal += predicted[i] == gold[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(gold.size());
}

double f1(const std::vector<double>& predicted, const std::vector<double>& gold, double positive) {
  require_same_length("f1", predicted, gold);
  double true_positives = 0, false_positives = 0, false_negatives = 0;
  for (std::size_t i = 0; i < gold.size(); ++i) {
    const bool predicted_positive = predicted[i] == positive;
    const bool gold_positive = gold[i] == positive;
    true_positives += predicted_positive && gold_positive ? 1 : 0;
    false_positives += predicted_positive && !gold_positive ? 1 : 0;
    false_negatives += !predicted_positive && gold_positive ? 1 : 0;
  }
  const double denominator = 2 * true_positives + false_positives + false_negatives;
  return denominator == 0 ? 0 : 2 * true_positives / denominator;
}

double matthews_correlation(const std::vector<double>& predicted, const std::vector<double>& gold) {
  require_same_length("matthews", predicted, gold);
  std::map<double, double> predicted_counts, gold_counts;
  double correct = 0;
  for (std::size_t i = 0; i < gold.size(); ++i) {
    ++predicted_counts[predicted[i]];
    ++gold_counts[gold[i]];
    correct += predicted[i] == gold[i] ? 1 : 0;
  }
  const double samples = static_cast<double>(gold.size());
  double predicted_gold = 0, predicted_squares = 0, gold_squares = 0;
  for (const auto& [label, count] : predicted_counts) {
    predicted_squares += count * count;
    const auto gold_count = gold_counts.find(label);
    if (gold_count != gold_counts.end()) predicted_gold += count * gold_count->second;
  }
  for (const auto& [label, count] : gold_counts) gold_squares += count * count;
  const double covariance = correct * samples - predicted_gold;
  const double predicted_variance = samples * samples - predicted_squares;
  const double gold_variance = samples * samples - gold_squares;
  if (predicted_variance == 0 || gold_variance == 0) return 0;
  return covariance / std::sqrt(predicted_variance * gold_variance);
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  require_same_length("pearson", x, y);
  // Checked on the values themselves: a rounded mean would leave a spurious tiny variance.
  if (constant(x) || constant(y)) return 0;
  const double count = static_cast<double>(x.size());
  const double mean_x = std::accumulate(x.begin(), x.end(), 0.0) / count;
  const double mean_y = std::accumulate(y.begin(), y.end(), 0.0) / count;
  double covariance = 0, variance_x = 0, variance_y = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mean_x;
    const double dy = y[i] - mean_y;
    covariance += dx * dy;
    variance_x += dx * dx;
    variance_y += dy * dy;
  }
  return std::clamp(covariance / std::sqrt(variance_x * variance_y), -1.0, 1.0);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  require_same_length("spearman", x, y);
  return pearson(average_ranks(x), average_ranks(y));
}

}  // namespace dac::glue
