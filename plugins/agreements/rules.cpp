// The rules the built-in agreement extractors share (see rules.hpp).
#include "rules.hpp"

#include <algorithm>

namespace dac::agreements {

bool RelationSet::matches(std::string_view deprel) const {
  const std::string_view universal = deprel.substr(0, deprel.find(':'));
  for (const std::string& entry : entries_) {
    if (entry == deprel) return true;
    if (entry.find(':') == std::string::npos && entry == universal) return true;
  }
  return false;
}

bool TagSet::matches(std::string_view upos) const {
  return std::find(tags_.begin(), tags_.end(), upos) != tags_.end();
}

Dependents::Dependents(const Sentence& sentence) : children_(sentence.words.size()) {
  for (int i = 0; i < static_cast<int>(sentence.words.size()); ++i)
    if (const int head = head_of(sentence, i); head >= 0)
      children_[static_cast<std::size_t>(head)].push_back(i);
}

std::vector<int> Dependents::with_relation(const Sentence& sentence, int word,
                                           const RelationSet& relations) const {
  std::vector<int> found;
  for (const int child : of(word))
    if (relations.matches(sentence.words[static_cast<std::size_t>(child)].deprel))
      found.push_back(child);
  return found;
}

int head_of(const Sentence& sentence, int word) {
  const int head = sentence.words[static_cast<std::size_t>(word)].head;
  return head >= 0 && head < static_cast<int>(sentence.words.size()) && head != word ? head : -1;
}

ConfigSchema common_schema(const CommonDefaults& defaults) {
  ConfigSchema schema;
  schema
      .strings("relations", defaults.relations,
               defaults.relations_help +
                   ". An entry without a subtype (\"nsubj\") also matches its subtypes "
                   "(\"nsubj:pass\"); one with a subtype (\"nmod:poss\") matches only itself")
      .strings("controller_upos", defaults.controller_upos,
               "UPOS tags the controller (" + defaults.controller_help + ") may have")
      .strings("target_upos", defaults.target_upos,
               "UPOS tags the target (" + defaults.target_help + ") may have")
      .string("span", defaults.span,
              "words of a chunk: \"anchors\" = controller and target only; \"base_phrase\" = " +
                  defaults.phrase_help +
                  "; \"contiguous\" = every word from the first to the last word of that phrase")
      .choices({"anchors", "base_phrase", "contiguous"})
      .integer("max_words", defaults.max_words,
               "longest chunk kept, in words; an agreement whose chunk would be longer is skipped")
      .min(2);
  return schema;
}

CommonRules common_rules(const Options& options) {
  const std::string& span = options.string("span");
  return {RelationSet(options.strings("relations")), TagSet(options.strings("controller_upos")),
          TagSet(options.strings("target_upos")),
          span == "anchors"      ? Span::anchors
          : span == "contiguous" ? Span::contiguous
                                 : Span::base_phrase,
          static_cast<std::size_t>(options.integer("max_words"))};
}

ConfigSchema& add_noun_phrase_key(ConfigSchema& schema) {
  return schema.strings("noun_phrase", {"det", "amod", "compound", "nummod", "nmod:poss"},
                        "relations of the dependents that join a noun in its base noun phrase "
                        "(direct dependents only; subtypes match as in `relations`)");
}

RelationSet noun_phrase_relations(const Options& options) {
  return RelationSet(options.strings("noun_phrase"));
}

std::vector<int> base_noun_phrase(const Sentence& sentence, const Dependents& dependents, int noun,
                                  const RelationSet& relations) {
  std::vector<int> phrase = dependents.with_relation(sentence, noun, relations);
  phrase.insert(std::upper_bound(phrase.begin(), phrase.end(), noun), noun);
  return phrase;
}

std::optional<Chunk> make_chunk(int controller, int target, std::vector<int> phrase, Span span,
                                std::size_t max_words) {
  Chunk chunk{{}, controller, target};
  if (span == Span::anchors) phrase.clear();
  phrase.push_back(controller);
  phrase.push_back(target);
  std::sort(phrase.begin(), phrase.end());
  phrase.erase(std::unique(phrase.begin(), phrase.end()), phrase.end());
  if (span == Span::contiguous) {
    const std::size_t length = static_cast<std::size_t>(phrase.back() - phrase.front()) + 1;
    if (length > max_words) return std::nullopt;
    for (int word = phrase.front(); word <= phrase.back(); ++word) chunk.members.push_back(word);
  } else {
    if (phrase.size() > max_words) return std::nullopt;
    chunk.members = std::move(phrase);
  }
  return chunk;
}

}  // namespace dac::agreements
