// Accumulating and reporting the distribution statistics of generated sentences.
#include "stats.hpp"

#include <algorithm>
#include <string>

#include "ud_checks.hpp"

namespace dac::synthetic {

namespace {

int quantile(const std::vector<int>& sorted, double q) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
}

}  // namespace

void StatsAccumulator::add(const Sentence& sentence) {
  ++totals_.sentences;
  totals_.words += sentence.words.size();
  lengths_.push_back(static_cast<int>(sentence.words.size()));
  const std::array<std::uint64_t, 4> counts = count_agreements(sentence);
  for (std::size_t t = 0; t < counts.size(); ++t) totals_.agreements[t] += counts[t];
  for (const SubjectVerbPair& pair : subject_verb_pairs(sentence)) {
    ++totals_.subject_verb_pairs;
    if (pair.subject_number != pair.carrier_number) ++totals_.number_mismatches;
    ++totals_.attractor_histogram[std::min(pair.attractors, kAttractorBins - 1)];
  }
}

SyntheticStats StatsAccumulator::finish() const {
  SyntheticStats stats = totals_;
  std::vector<int> sorted = lengths_;
  std::sort(sorted.begin(), sorted.end());
  if (stats.sentences > 0)
    stats.length_mean = static_cast<double>(stats.words) / static_cast<double>(stats.sentences);
  stats.length_p10 = quantile(sorted, 0.1);
  stats.length_p50 = quantile(sorted, 0.5);
  stats.length_p90 = quantile(sorted, 0.9);
  stats.length_max = sorted.empty() ? 0 : sorted.back();
  for (std::size_t t = 0; t < stats.agreements.size(); ++t)
    stats.per_1000_words[t] =
        stats.words == 0 ? 0 : 1000.0 * static_cast<double>(stats.agreements[t]) / stats.words;
  if (stats.subject_verb_pairs > 0)
    stats.attractor_rate = 1.0 - static_cast<double>(stats.attractor_histogram[0]) /
                                     static_cast<double>(stats.subject_verb_pairs);
  return stats;
}

SyntheticStats generate_stats(const SyntheticGenerator& generator, std::uint64_t sentences,
                              std::uint32_t sentences_per_document) {
  StatsAccumulator accumulator;
  for (std::uint64_t k = 0; k < sentences; ++k)
    accumulator.add(generator
                        .sentence(static_cast<std::uint32_t>(k / sentences_per_document),
                                  static_cast<std::uint32_t>(k % sentences_per_document))
                        .sentence);
  return accumulator.finish();
}

ConfigNode stats_table(const SyntheticStats& stats) {
  ConfigNode table = ConfigNode::table();
  const auto integer = [](std::uint64_t value) {
    return ConfigNode::integer(static_cast<std::int64_t>(value));
  };
  table.set("sentences", integer(stats.sentences));
  table.set("words", integer(stats.words));
  ConfigNode length = ConfigNode::table();
  length.set("mean", ConfigNode::real(stats.length_mean));
  length.set("p10", integer(stats.length_p10));
  length.set("p50", integer(stats.length_p50));
  length.set("p90", integer(stats.length_p90));
  length.set("max", integer(stats.length_max));
  table.set("sentence_length", std::move(length));
  ConfigNode per_1000 = ConfigNode::table();
  for (std::size_t t = 0; t < kAgreementTypes.size(); ++t)
    per_1000.set(std::string(kAgreementTypes[t]), ConfigNode::real(stats.per_1000_words[t]));
  table.set("agreements_per_1000_words", std::move(per_1000));
  ConfigNode histogram = ConfigNode::array();
  for (std::uint64_t count : stats.attractor_histogram) histogram.push_back(integer(count));
  table.set("attractor_histogram", std::move(histogram));
  table.set("subject_verb_pairs", integer(stats.subject_verb_pairs));
  table.set("attractor_rate", ConfigNode::real(stats.attractor_rate));
  table.set("number_mismatches", integer(stats.number_mismatches));
  return table;
}

}  // namespace dac::synthetic
