// Agreement probing results: each minimal pair's pseudo-log-likelihoods, the accuracy per file, per
// agreement type and in total (a pair is right when its good sentence scores strictly higher; ties
// are wrong), as an aligned text table, a Markdown table and JSON. No torch.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/glue/minimal_pairs.hpp"

namespace dac::glue {

struct PairScore {
  double good = 0;  // pseudo-log-likelihood of the good sentence
  double bad = 0;   // and of the bad one

  // Strictly higher for the good sentence; a tie (or NaN) is a failure.
  bool correct() const { return good > bad; }
};

// One file's pairs and their scores (scores[i] belongs to pairs[i]).
struct ScoredPairs {
  std::string path;
  std::vector<MinimalPair> pairs;
  std::vector<PairScore> scores;
};

struct AccuracyCount {
  std::string name;
  std::size_t correct = 0;
  std::size_t pairs = 0;

  double percent() const { return pairs == 0 ? 0.0 : 100.0 * correct / pairs; }
};

struct ProbeAccuracy {
  std::vector<AccuracyCount> files;  // in the order given, named by file name
  std::vector<AccuracyCount> types;  // sorted by agreement type
  AccuracyCount total{.name = "total"};
};

// Counts every file's pairs; a UserError when a file has not one score per pair.
ProbeAccuracy probe_accuracy(const std::vector<ScoredPairs>& files);

// Rows "file NAME", "type NAME", "total" with correct, pairs and accuracy, columns padded so
// that they line up in a terminal.
std::string probe_table_text(const ProbeAccuracy& accuracy);
// The same rows as a Markdown table.
std::string probe_table_markdown(const ProbeAccuracy& accuracy);

// {"accuracy": {"files": [...], "types": [...], "total": {...}}, "files": [{"path": ..., "pairs":
// [{"line", "UID", "pairID", "agreement_type", "sentence_good", "sentence_bad", "pll_good",
// "pll_bad", "correct"}, ...]}, ...]} (write it with to_json).
ConfigNode probe_results_config(const std::vector<ScoredPairs>& files,
                                const ProbeAccuracy& accuracy);

}  // namespace dac::glue
