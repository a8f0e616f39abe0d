// Rules over Universal Dependencies trees that need nothing but the annotation: tree validity, the
// number a word carries (FEATS), subject-verb pairs with attractors, and agreement counts.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dac/syntax/sentence.hpp"

namespace dac::synthetic {

// Problems with a sentence's tree and offsets (one root, heads in range, no cycles, UD UPOS and
// relations, offsets that cut each form out of the text); empty when there are none.
std::vector<std::string> tree_problems(const Sentence& sentence);

// The value of one feature in a FEATS string ("" when absent).
std::string_view feature(std::string_view feats, std::string_view name);

// Nouns and pronouns strictly between positions a and b whose Number is set and differs from
// `number`.
int count_attractors(const Sentence& sentence, int a, int b, std::string_view number);

// A subject and a word that shows its number: the predicate itself or its aux/cop.
struct SubjectVerbPair {
  int subject = -1;
  int carrier = -1;
  std::string subject_number;  // the subject's Number, or its antecedent's for a relative pronoun
  std::string carrier_number;
  int attractors = 0;
};

// Every nsubj whose number is known, paired with each word of its predicate (the predicate or
// its aux/cop dependents) that has a Number feature.
std::vector<SubjectVerbPair> subject_verb_pairs(const Sentence& sentence);

// The four agreement types of the DACBERT method, counted by UD rules.
inline constexpr std::array<std::string_view, 4> kAgreementTypes = {
    "subject_verb", "verb_object", "adjective_noun", "determiner_noun"};
std::array<std::uint64_t, 4> count_agreements(const Sentence& sentence);

}  // namespace dac::synthetic
