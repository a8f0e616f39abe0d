// The synthetic sentence generator: expands the grammar with a counter-based random stream, so
// sentence i of document d is a pure function of (seed, d, i), with gold UD annotation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dac/syntax/sentence.hpp"
#include "grammar.hpp"

namespace dac::synthetic {

// A subject and a verb or aux/cop that agrees with it, as the generator made them: they share the
// grammar variable that chose the subject's number.
struct AgreementFact {
  int subject = -1;
  int verb = -1;
  int attractors = 0;  // nouns of the other number between the two
  bool overt = false;  // the verb's form shows number (Number in its FEATS)
};

struct GeneratedSentence {
  Sentence sentence;
  std::vector<AgreementFact> agreements;
};

class SyntheticGenerator {
 public:
  SyntheticGenerator(GrammarSpec grammar, std::uint64_t seed);

  // Sentence `index` of document `document`.
  GeneratedSentence sentence(std::uint32_t document, std::uint32_t index) const;
  // The first `sentences` sentences of a document, joined with single spaces.
  std::string document_text(std::uint32_t document, std::uint32_t sentences) const;

  const GrammarSpec& grammar() const { return grammar_; }
  std::uint64_t seed() const { return seed_; }

 private:
  GrammarSpec grammar_;
  std::uint64_t seed_;
};

}  // namespace dac::synthetic
