// Distribution statistics of generated sentences, computed from their gold trees by UD rules:
// sentence lengths, agreement instances per 1000 words by type, attractor distances.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "dac/config.hpp"
#include "dac/syntax/sentence.hpp"
#include "generator.hpp"

namespace dac::synthetic {

struct SyntheticStats {
  std::uint64_t sentences = 0;
  std::uint64_t words = 0;
  double length_mean = 0;
  int length_p10 = 0, length_p50 = 0, length_p90 = 0, length_max = 0;  // words per sentence
  std::array<std::uint64_t, 4> agreements{};                           // by kAgreementTypes
  std::array<double, 4> per_1000_words{};
  // Subject-verb pairs whose verb shows number, by attractor count (the last bin: that or more).
  std::vector<std::uint64_t> attractor_histogram;
  std::uint64_t subject_verb_pairs = 0;
  std::uint64_t number_mismatches = 0;  // pairs whose numbers differ (0 for a sound grammar)
  double attractor_rate = 0;            // share of pairs with at least one attractor
};

class StatsAccumulator {
 public:
  static constexpr int kAttractorBins = 5;
  void add(const Sentence& sentence);
  SyntheticStats finish() const;

 private:
  std::vector<int> lengths_;
  SyntheticStats totals_{.attractor_histogram = std::vector<std::uint64_t>(kAttractorBins)};
};

// Statistics of the first `sentences` sentences, taken `sentences_per_document` at a time from
// documents 0, 1, ...
SyntheticStats generate_stats(const SyntheticGenerator& generator, std::uint64_t sentences,
                              std::uint32_t sentences_per_document);

// The statistics as a table (the synthetic_stats stage's result and stats.toml).
ConfigNode stats_table(const SyntheticStats& stats);

}  // namespace dac::synthetic
