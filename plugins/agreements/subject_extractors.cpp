// subject_verb and predicate_adjective (see subject_extractors.hpp).
#include "subject_extractors.hpp"

#include <algorithm>
#include <functional>
#include <string_view>

namespace dac::agreements {

namespace {

// Calls `found(subject, predicate)` for every subject the common options accept as a controller.
void for_each_subject(const Sentence& sentence, const CommonRules& common,
                      const std::function<void(int, int)>& found) {
  for (int subject = 0; subject < static_cast<int>(sentence.words.size()); ++subject) {
    const Word& word = sentence.words[subject];
    const int predicate = head_of(sentence, subject);
    if (predicate >= 0 && common.relations.matches(word.deprel) &&
        common.controller_tags.matches(word.upos))
      found(subject, predicate);
  }
}

bool is_finite(const Word& word) {
  const std::string_view feats = word.feats;
  for (std::size_t start = 0; start <= feats.size();) {
    const std::size_t bar = std::min(feats.find('|', start), feats.size());
    if (feats.substr(start, bar - start) == "VerbForm=Fin") return true;
    start = bar + 1;
  }
  return false;
}

// The finite word of a predicate's verb group (see VerbTarget::finite).
int finite_word(const Sentence& sentence, int predicate, const std::vector<int>& auxiliaries) {
  std::vector<int> group = auxiliaries;
  group.insert(std::upper_bound(group.begin(), group.end(), predicate), predicate);
  for (const int word : group)
    if (is_finite(sentence.words[word])) return word;
  return auxiliaries.empty() ? predicate : auxiliaries.front();
}

}  // namespace

std::vector<Chunk> SubjectVerb::extract(const Sentence& sentence) const {
  std::vector<Chunk> chunks;
  const Dependents dependents(sentence);
  for_each_subject(sentence, rules_.common, [&](int subject, int predicate) {
    const std::vector<int> auxiliaries =
        dependents.with_relation(sentence, predicate, rules_.auxiliaries);
    const int target = rules_.target == VerbTarget::head
                           ? predicate
                           : finite_word(sentence, predicate, auxiliaries);
    if (!rules_.common.target_tags.matches(sentence.words[target].upos)) return;
    std::vector<int> phrase = base_noun_phrase(sentence, dependents, subject, rules_.noun_phrase);
    phrase.push_back(predicate);
    if (rules_.include_auxiliaries)
      phrase.insert(phrase.end(), auxiliaries.begin(), auxiliaries.end());
    if (auto chunk = make_chunk(subject, target, std::move(phrase), rules_.common.span,
                                rules_.common.max_words))
      chunks.push_back(std::move(*chunk));
  });
  return chunks;
}

std::vector<Chunk> PredicateAdjective::extract(const Sentence& sentence) const {
  std::vector<Chunk> chunks;
  const Dependents dependents(sentence);
  for_each_subject(sentence, rules_.common, [&](int subject, int adjective) {
    if (!rules_.common.target_tags.matches(sentence.words[adjective].upos)) return;
    const std::vector<int> copulas = dependents.with_relation(sentence, adjective, rules_.copulas);
    if (copulas.empty()) return;
    std::vector<int> phrase = base_noun_phrase(sentence, dependents, subject, rules_.noun_phrase);
    if (rules_.include_copula) phrase.insert(phrase.end(), copulas.begin(), copulas.end());
    if (auto chunk = make_chunk(subject, adjective, std::move(phrase), rules_.common.span,
                                rules_.common.max_words))
      chunks.push_back(std::move(*chunk));
  });
  return chunks;
}

}  // namespace dac::agreements
