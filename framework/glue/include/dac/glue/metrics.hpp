// The GLUE metrics: accuracy, F1 of the positive class, Matthews correlation, Pearson and
// Spearman correlation. Predictions and gold labels are class indices (as doubles, the way tasks
// receive them) or regression scores. No torch.
#pragma once

#include <vector>

namespace dac::glue {

// Share of equal entries (0 for none); the vectors must be of equal length (UserError otherwise).
double accuracy(const std::vector<double>& predicted, const std::vector<double>& gold);
// F1 of class `positive` (0 when it is never predicted nor gold).
double f1(const std::vector<double>& predicted, const std::vector<double>& gold,
          double positive = 1);
// Matthews correlation of two labelings over any number of classes (Gorodkin's R_K; for two
// classes the usual MCC); 0 when either labeling is constant.
double matthews_correlation(const std::vector<double>& predicted, const std::vector<double>& gold);
// Pearson correlation; 0 when either side is constant.
double pearson(const std::vector<double>& x, const std::vector<double>& y);
// Spearman correlation: Pearson of the ranks, ties given their average rank.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace dac::glue
