// The agreements of a subject with its predicate: subject_verb (the subject and the verb, or the
// auxiliary or copula that carries the agreement) and predicate_adjective (the subject and an
// adjective that is the predicate of a copula).
#pragma once

#include <string>
#include <vector>

#include "dac/kinds/agreement_extractor.hpp"
#include "rules.hpp"

namespace dac::agreements {

// Which word of the predicate is subject_verb's target.
enum class VerbTarget {
  finite,  // the first of the predicate and its aux/cop (in word order) with VerbForm=Fin; when
           // none is marked, the first aux/cop, else the predicate
  head,    // the subject's head, the predicate itself
};

struct SubjectVerbRules {
  CommonRules common;
  RelationSet noun_phrase;
  RelationSet auxiliaries;  // aux/cop relations of the predicate's verb group
  bool include_auxiliaries = true;
  VerbTarget target = VerbTarget::finite;
};

class SubjectVerb : public AgreementExtractor {
 public:
  explicit SubjectVerb(SubjectVerbRules rules) : rules_(std::move(rules)) {}
  std::string_view type() const override { return "subject_verb"; }
  std::vector<Chunk> extract(const Sentence& sentence) const override;

 private:
  SubjectVerbRules rules_;
};

struct PredicateAdjectiveRules {
  CommonRules common;
  RelationSet noun_phrase;
  RelationSet copulas;  // the relation that makes the adjective a predicate
  bool include_copula = true;
};

class PredicateAdjective : public AgreementExtractor {
 public:
  explicit PredicateAdjective(PredicateAdjectiveRules rules) : rules_(std::move(rules)) {}
  std::string_view type() const override { return "predicate_adjective"; }
  std::vector<Chunk> extract(const Sentence& sentence) const override;

 private:
  PredicateAdjectiveRules rules_;
};

}  // namespace dac::agreements
