// The rules the built-in agreement extractors share: matching UD relations and UPOS tags against
// configured lists, the dependents of each word, base noun phrases, and turning the words of an
// agreement into a chunk by the configured span rule and length limit.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dac/options.hpp"
#include "dac/syntax/sentence.hpp"

namespace dac::agreements {

// A configured list of UD relations. An entry without a subtype ("nsubj") matches the relation
// and all its subtypes ("nsubj:pass", "nsubj:outer"); an entry with one ("nmod:poss") matches
// exactly that.
class RelationSet {
 public:
  explicit RelationSet(std::vector<std::string> entries) : entries_(std::move(entries)) {}
  bool matches(std::string_view deprel) const;

 private:
  std::vector<std::string> entries_;
};

// A configured list of UPOS tags, matched exactly.
class TagSet {
 public:
  explicit TagSet(std::vector<std::string> tags) : tags_(std::move(tags)) {}
  bool matches(std::string_view upos) const;

 private:
  std::vector<std::string> tags_;
};

// The dependents of every word, ascending, built once per sentence; words with a head outside the
// sentence are nobody's dependents.
class Dependents {
 public:
  explicit Dependents(const Sentence& sentence);
  const std::vector<int>& of(int word) const { return children_[static_cast<std::size_t>(word)]; }
  // The dependents of `word` whose relation is in `relations`, ascending.
  std::vector<int> with_relation(const Sentence& sentence, int word,
                                 const RelationSet& relations) const;

 private:
  std::vector<std::vector<int>> children_;
};

// The head of `word` when it is a word of the sentence, else -1.
int head_of(const Sentence& sentence, int word);

// Which words a chunk holds: the two anchors only, the agreement's phrase (see each extractor),
// or every word from the first to the last word of that phrase.
enum class Span { anchors, base_phrase, contiguous };

// The options every built-in extractor has: the relation of the arc it follows, the UPOS tags of
// controller and target, the span rule and the longest chunk kept.
struct CommonRules {
  RelationSet relations;
  TagSet controller_tags;
  TagSet target_tags;
  Span span;
  std::size_t max_words;
};

// Their schema, with each extractor's own defaults.
struct CommonDefaults {
  std::vector<std::string> relations;
  std::string relations_help;  // what the relation attaches to what
  std::vector<std::string> controller_upos;
  std::string controller_help;  // which word is the controller
  std::vector<std::string> target_upos;
  std::string target_help;  // which word is the target
  std::string span;
  std::string phrase_help;  // what the base phrase of this agreement is
  std::int64_t max_words = 16;
};
ConfigSchema common_schema(const CommonDefaults& defaults);
CommonRules common_rules(const Options& options);

// The schema key for the relations that make up a base noun phrase (see base_noun_phrase).
ConfigSchema& add_noun_phrase_key(ConfigSchema& schema);
RelationSet noun_phrase_relations(const Options& options);

// The base noun phrase of `noun`: the noun and its dependents whose relation is in `relations`
// (by default det, amod, compound, nummod, nmod:poss), ascending.
std::vector<int> base_noun_phrase(const Sentence& sentence, const Dependents& dependents, int noun,
                                  const RelationSet& relations);

// The chunk of one agreement: `phrase` holds the words of its base phrase (any order, duplicates
// allowed; the anchors are added). Nothing when the chunk would hold more than `max_words` words.
std::optional<Chunk> make_chunk(int controller, int target, std::vector<int> phrase, Span span,
                                std::size_t max_words);

}  // namespace dac::agreements
