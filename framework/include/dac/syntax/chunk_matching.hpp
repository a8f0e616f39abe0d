// Scoring the agreement chunks a system parse yields against those of the gold parse of the same
// words: counts of chunks and of matches (exact: same controller, target and members; anchors:
// same controller and target), from which precision, recall and F1 follow. Header-only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "dac/syntax/sentence.hpp"

namespace dac {

struct ChunkMatchCounts {
  std::uint64_t gold = 0;
  std::uint64_t system = 0;
  std::uint64_t exact = 0;    // system chunks that match a gold chunk exactly (one to one)
  std::uint64_t anchors = 0;  // system chunks whose anchor pair matches a gold one (one to one)
};

struct PrecisionRecall {
  double precision = 0, recall = 0, f1 = 0;
};

// Precision matched/system, recall matched/gold, F1 their harmonic mean; 0 where undefined.
inline PrecisionRecall precision_recall(std::uint64_t matched, std::uint64_t gold,
                                        std::uint64_t system) {
  PrecisionRecall scores;
  if (system) scores.precision = static_cast<double>(matched) / static_cast<double>(system);
  if (gold) scores.recall = static_cast<double>(matched) / static_cast<double>(gold);
  if (scores.precision + scores.recall > 0)
    scores.f1 = 2 * scores.precision * scores.recall / (scores.precision + scores.recall);
  return scores;
}

namespace chunk_matching_detail {

// The size of the multiset intersection of two lists (sorted here).
template <class Key>
std::uint64_t common_count(std::vector<Key> a, std::vector<Key> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::uint64_t count = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++count, ++i, ++j;
    }
  }
  return count;
}

inline std::tuple<int, int, std::vector<int>> exact_key(const Chunk& chunk) {
  return {chunk.controller, chunk.target, chunk.members};
}

inline std::pair<int, int> anchor_key(const Chunk& chunk) {
  return {chunk.controller, chunk.target};
}

}  // namespace chunk_matching_detail

// Adds one sentence's chunks (of one agreement type) to `counts`. Each chunk matches at most one
// chunk of the other side, so duplicates count once per copy.
inline void count_chunk_matches(const std::vector<Chunk>& gold, const std::vector<Chunk>& system,
                                ChunkMatchCounts& counts) {
  using namespace chunk_matching_detail;
  std::vector<std::tuple<int, int, std::vector<int>>> gold_exact, system_exact;
  std::vector<std::pair<int, int>> gold_anchors, system_anchors;
  for (const Chunk& chunk : gold) {
    gold_exact.push_back(exact_key(chunk));
    gold_anchors.push_back(anchor_key(chunk));
  }
  for (const Chunk& chunk : system) {
    system_exact.push_back(exact_key(chunk));
    system_anchors.push_back(anchor_key(chunk));
  }
  counts.gold += gold.size();
  counts.system += system.size();
  counts.exact += common_count(std::move(gold_exact), std::move(system_exact));
  counts.anchors += common_count(std::move(gold_anchors), std::move(system_anchors));
}

}  // namespace dac
