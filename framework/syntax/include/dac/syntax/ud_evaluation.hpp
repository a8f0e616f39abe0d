// Scoring a system's CoNLL-U against a gold treebank with the CoNLL 2018 shared-task definitions:
// tokens, sentences and words are matched by their character spans (whitespace ignored), so a
// system with its own segmentation is scored too; UPOS, UAS and LAS are F1 over aligned words
// (punctuation included; LAS on universal relations, i.e. subtypes after ':' stripped, and also
// with subtypes). No torch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dac/syntax/sentence.hpp"

namespace dac::syntax {

struct UdScore {
  std::uint64_t gold = 0, system = 0, correct = 0;
  double precision() const;
  double recall() const;
  double f1() const;
};

struct UdEvaluation {
  UdScore tokens, sentences, words, upos, uas, las, las_with_subtypes;
};

// Throws a UserError when the two texts (concatenated forms, whitespace removed) differ, naming
// the first differing character and the gold and system sentence ids or positions.
UdEvaluation evaluate_ud(const std::vector<Sentence>& gold, const std::vector<Sentence>& system);

// The table `dacrun eval-parser` prints: one line per metric with precision, recall, F1.
std::string format_ud_evaluation(const UdEvaluation& evaluation);

}  // namespace dac::syntax
