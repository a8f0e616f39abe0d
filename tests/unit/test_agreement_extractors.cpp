// Tests for the built-in agreement extractors on hand-written trees: what each one finds and
// misses, and what each of its options changes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agreement_trees.hpp"
#include "catalog.hpp"
#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/plugin_host.hpp"
#include "support/test_support.hpp"

namespace {

using dac::Chunk;
using dac::ConfigNode;
using dac::Sentence;
using dac::test::tree;

// A chunk written as {controller, target, members} for comparisons.
struct Expected {
  int controller, target;
  std::vector<int> members;
  bool operator==(const Expected&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Expected& chunk) {
  out << "{" << chunk.controller << " -> " << chunk.target << ": [";
  for (const int member : chunk.members) out << " " << member;
  return out << " ]}";
}

ConfigNode strings(std::vector<std::string> values) {
  ConfigNode list = ConfigNode::array();
  for (auto& value : values) list.push_back(ConfigNode::string(std::move(value)));
  return list;
}

// Runs extractor `name` with `options` (key, value pairs) on `sentence`.
std::vector<Expected> run(const std::string& name, const Sentence& sentence,
                          std::vector<std::pair<std::string, ConfigNode>> options = {}) {
  ConfigNode table = ConfigNode::table();
  for (auto& [key, value] : options) table.set(key, std::move(value));
  const auto extractor = dac::agreements::make_extractor(name, table);
  EXPECT_EQ(extractor->type(), name);
  std::vector<Expected> found;
  for (const Chunk& chunk : extractor->extract(sentence))
    found.push_back({chunk.controller, chunk.target, chunk.members});
  return found;
}

using Found = std::vector<Expected>;

// "The big dogs in the park have eaten the bones ."
Sentence perfect_tense() {
  return tree({{"The", "DET", 3, "det"},
               {"big", "ADJ", 3, "amod"},
               {"dogs", "NOUN", 8, "nsubj", "Number=Plur"},
               {"in", "ADP", 6, "case"},
               {"the", "DET", 6, "det"},
               {"park", "NOUN", 3, "nmod", "Number=Sing"},
               {"have", "AUX", 8, "aux", "Mood=Ind|Number=Plur|Tense=Pres|VerbForm=Fin"},
               {"eaten", "VERB", 0, "root", "Tense=Past|VerbForm=Part"},
               {"the", "DET", 10, "det"},
               {"bones", "NOUN", 8, "obj", "Number=Plur"},
               {".", "PUNCT", 8, "punct"}});
}

// "The dog is happy ."
Sentence copula() {
  return tree({{"The", "DET", 2, "det"},
               {"dog", "NOUN", 4, "nsubj"},
               {"is", "AUX", 4, "cop", "Mood=Ind|Number=Sing|Tense=Pres|VerbForm=Fin"},
               {"happy", "ADJ", 0, "root"},
               {".", "PUNCT", 4, "punct"}});
}

TEST(SubjectVerb, PairsTheSubjectWithTheFiniteWordOfItsVerbGroup) {
  const Sentence sentence = perfect_tense();
  // The subject's base noun phrase (The big dogs, not "in the park"), the auxiliary, the verb.
  EXPECT_EQ(run("subject_verb", sentence), (Found{{2, 6, {0, 1, 2, 6, 7}}}));
  EXPECT_EQ(run("subject_verb", sentence, {{"target", ConfigNode::string("head")}}),
            (Found{{2, 7, {0, 1, 2, 6, 7}}}));
  EXPECT_EQ(
      run("subject_verb", sentence,
          {{"target", ConfigNode::string("head")}, {"include_aux", ConfigNode::boolean(false)}}),
      (Found{{2, 7, {0, 1, 2, 7}}}));
  EXPECT_EQ(run("subject_verb", sentence, {{"span", ConfigNode::string("anchors")}}),
            (Found{{2, 6, {2, 6}}}));
  EXPECT_EQ(run("subject_verb", sentence, {{"span", ConfigNode::string("contiguous")}}),
            (Found{{2, 6, {0, 1, 2, 3, 4, 5, 6, 7}}}));
  EXPECT_EQ(run("subject_verb", sentence, {{"noun_phrase", strings({"det"})}}),
            (Found{{2, 6, {0, 2, 6, 7}}}));
  // Too long for max_words: skipped, not cut.
  EXPECT_EQ(run("subject_verb", sentence, {{"max_words", ConfigNode::integer(4)}}), Found{});
  EXPECT_EQ(run("subject_verb", sentence, {{"max_words", ConfigNode::integer(5)}}).size(), 1u);
  // Tag filters on both anchors.
  EXPECT_EQ(run("subject_verb", sentence, {{"controller_upos", strings({"PRON"})}}), Found{});
  EXPECT_EQ(run("subject_verb", sentence, {{"target_upos", strings({"VERB"})}}), Found{});
  EXPECT_EQ(run("subject_verb", sentence,
                {{"target_upos", strings({"VERB"})}, {"target", ConfigNode::string("head")}})
                .size(),
            1u);
  // aux_relations without "aux": the verb itself is the only word of its group.
  EXPECT_EQ(run("subject_verb", sentence, {{"aux_relations", strings({"cop"})}}),
            (Found{{2, 7, {0, 1, 2, 7}}}));
}

TEST(SubjectVerb, WithoutFeatsTheFirstAuxiliaryCarriesTheAgreement) {
  // "Does the dog run ?" without FEATS: the auxiliary before the subject is the target.
  const Sentence question = tree({{"Does", "AUX", 4, "aux"},
                                  {"the", "DET", 3, "det"},
                                  {"dog", "NOUN", 4, "nsubj"},
                                  {"run", "VERB", 0, "root"},
                                  {"?", "PUNCT", 4, "punct"}});
  EXPECT_EQ(run("subject_verb", question), (Found{{2, 0, {0, 1, 2, 3}}}));
  // A plain finite verb: the verb.
  const Sentence plain = tree({{"She", "PRON", 2, "nsubj"},
                               {"sings", "VERB", 0, "root", "VerbForm=Fin"},
                               {".", "PUNCT", 2, "punct"}});
  EXPECT_EQ(run("subject_verb", plain), (Found{{0, 1, {0, 1}}}));
}

TEST(SubjectVerb, CopulaCarriesTheAgreementOfANonVerbalPredicate) {
  EXPECT_EQ(run("subject_verb", copula()), (Found{{1, 2, {0, 1, 2, 3}}}));
  // With the predicate as target, an adjective is not a verb.
  EXPECT_EQ(run("subject_verb", copula(), {{"target", ConfigNode::string("head")}}), Found{});
}

TEST(SubjectVerb, RelationSubtypesMatchTheirUniversalRelation) {
  // "The cake was eaten ."
  const Sentence passive = tree({{"The", "DET", 2, "det"},
                                 {"cake", "NOUN", 4, "nsubj:pass"},
                                 {"was", "AUX", 4, "aux:pass", "VerbForm=Fin"},
                                 {"eaten", "VERB", 0, "root", "VerbForm=Part"},
                                 {".", "PUNCT", 4, "punct"}});
  EXPECT_EQ(run("subject_verb", passive), (Found{{1, 2, {0, 1, 2, 3}}}));
  EXPECT_EQ(run("subject_verb", passive, {{"relations", strings({"nsubj:pass"})}}).size(), 1u);
  EXPECT_EQ(run("subject_verb", perfect_tense(), {{"relations", strings({"nsubj:pass"})}}),
            Found{});
  // A clausal subject is no nominal subject.
  EXPECT_EQ(run("subject_verb", passive, {{"relations", strings({"csubj"})}}), Found{});
}

TEST(VerbObject, PairsTheVerbWithTheObjectsBaseNounPhrase) {
  EXPECT_EQ(run("verb_object", perfect_tense()), (Found{{7, 9, {7, 8, 9}}}));
  EXPECT_EQ(run("verb_object", perfect_tense(), {{"span", ConfigNode::string("anchors")}}),
            (Found{{7, 9, {7, 9}}}));
  // "She gave him the old book": the indirect and the direct object.
  const Sentence ditransitive = tree({{"She", "PRON", 2, "nsubj"},
                                      {"gave", "VERB", 0, "root"},
                                      {"him", "PRON", 2, "iobj"},
                                      {"the", "DET", 6, "det"},
                                      {"old", "ADJ", 6, "amod"},
                                      {"book", "NOUN", 2, "obj"}});
  EXPECT_EQ(run("verb_object", ditransitive), (Found{{1, 2, {1, 2}}, {1, 5, {1, 3, 4, 5}}}));
  EXPECT_EQ(run("verb_object", ditransitive, {{"relations", strings({"obj"})}}),
            (Found{{1, 5, {1, 3, 4, 5}}}));
  EXPECT_EQ(run("verb_object", ditransitive, {{"target_upos", strings({"NOUN"})}}),
            (Found{{1, 5, {1, 3, 4, 5}}}));
  EXPECT_EQ(run("verb_object", ditransitive, {{"span", ConfigNode::string("contiguous")}}),
            (Found{{1, 2, {1, 2}}, {1, 5, {1, 2, 3, 4, 5}}}));
  EXPECT_EQ(run("verb_object", ditransitive, {{"max_words", ConfigNode::integer(3)}}),
            (Found{{1, 2, {1, 2}}}));
  EXPECT_EQ(run("verb_object", ditransitive, {{"controller_upos", strings({"AUX"})}}), Found{});
}

TEST(AdjectiveNoun, SpansFromTheAdjectiveToTheNoun) {
  // "a very big , old dog"
  const Sentence sentence = tree({{"a", "DET", 6, "det"},
                                  {"very", "ADV", 3, "advmod"},
                                  {"big", "ADJ", 6, "amod"},
                                  {",", "PUNCT", 5, "punct"},
                                  {"old", "ADJ", 6, "amod"},
                                  {"dog", "NOUN", 0, "root"},
                                  {"broken", "VERB", 6, "amod"}});
  EXPECT_EQ(run("adjective_noun", sentence), (Found{{5, 2, {1, 2, 3, 4, 5}}, {5, 4, {4, 5}}}));
  EXPECT_EQ(run("adjective_noun", sentence, {{"span", ConfigNode::string("base_phrase")}}),
            (Found{{5, 2, {1, 2, 5}}, {5, 4, {4, 5}}}));
  EXPECT_EQ(run("adjective_noun", sentence, {{"span", ConfigNode::string("anchors")}}),
            (Found{{5, 2, {2, 5}}, {5, 4, {4, 5}}}));
  EXPECT_EQ(run("adjective_noun", sentence, {{"target_upos", strings({"ADJ", "VERB"})}}).size(),
            3u);
  EXPECT_EQ(run("adjective_noun", sentence, {{"max_words", ConfigNode::integer(4)}}),
            (Found{{5, 4, {4, 5}}}));
  EXPECT_EQ(run("adjective_noun", sentence, {{"controller_upos", strings({"PROPN"})}}), Found{});
}

TEST(DeterminerNoun, PairsEveryDeterminerIncludingPredeterminers) {
  // "all the dogs" and "this one" (a determiner of a pronoun).
  const Sentence sentence = tree({{"all", "DET", 3, "det:predet"},
                                  {"the", "DET", 3, "det"},
                                  {"dogs", "NOUN", 0, "root"},
                                  {"this", "DET", 5, "det"},
                                  {"one", "PRON", 3, "appos"}});
  EXPECT_EQ(run("determiner_noun", sentence), (Found{{2, 0, {0, 1, 2}}, {2, 1, {1, 2}}}));
  EXPECT_EQ(run("determiner_noun", sentence, {{"span", ConfigNode::string("anchors")}}),
            (Found{{2, 0, {0, 2}}, {2, 1, {1, 2}}}));
  EXPECT_EQ(run("determiner_noun", sentence, {{"relations", strings({"det:predet"})}}),
            (Found{{2, 0, {0, 1, 2}}}));
  EXPECT_EQ(run("determiner_noun", sentence, {{"controller_upos", strings({"NOUN", "PRON"})}}),
            (Found{{2, 0, {0, 1, 2}}, {2, 1, {1, 2}}, {4, 3, {3, 4}}}));
}

TEST(PredicateAdjective, NeedsACopula) {
  EXPECT_EQ(run("predicate_adjective", copula()), (Found{{1, 3, {0, 1, 2, 3}}}));
  EXPECT_EQ(run("predicate_adjective", copula(), {{"include_cop", ConfigNode::boolean(false)}}),
            (Found{{1, 3, {0, 1, 3}}}));
  EXPECT_EQ(run("predicate_adjective", copula(), {{"span", ConfigNode::string("anchors")}}),
            (Found{{1, 3, {1, 3}}}));
  EXPECT_EQ(run("predicate_adjective", copula(), {{"cop_relations", strings({"aux"})}}), Found{});
  // "He is a teacher": a noun predicate is no adjective.
  const Sentence noun = tree({{"He", "PRON", 4, "nsubj"},
                              {"is", "AUX", 4, "cop"},
                              {"a", "DET", 4, "det"},
                              {"teacher", "NOUN", 0, "root"}});
  EXPECT_EQ(run("predicate_adjective", noun), Found{});
  EXPECT_EQ(run("predicate_adjective", noun, {{"target_upos", strings({"NOUN"})}}),
            (Found{{0, 3, {0, 1, 3}}}));
  // An adjective with a subject but no copula ("the dog happy" as a small clause).
  const Sentence small_clause =
      tree({{"the", "DET", 2, "det"}, {"dog", "NOUN", 3, "nsubj"}, {"happy", "ADJ", 0, "root"}});
  EXPECT_EQ(run("predicate_adjective", small_clause), Found{});
}

TEST(NounCompound, PairsEachCompoundWithItsHeadNoun) {
  // "the coffee shop owner picked up"
  const Sentence sentence = tree({{"the", "DET", 4, "det"},
                                  {"coffee", "NOUN", 3, "compound"},
                                  {"shop", "NOUN", 4, "compound"},
                                  {"owner", "NOUN", 5, "nsubj"},
                                  {"picked", "VERB", 0, "root"},
                                  {"up", "ADP", 5, "compound:prt"}});
  EXPECT_EQ(run("noun_compound", sentence), (Found{{2, 1, {1, 2}}, {3, 2, {2, 3}}}));
  EXPECT_EQ(run("noun_compound", sentence,
                {{"controller_upos", strings({"VERB"})}, {"target_upos", strings({"ADP"})}}),
            (Found{{4, 5, {4, 5}}}));
  EXPECT_EQ(run("noun_compound", sentence, {{"relations", strings({"compound:prt"})}}), Found{});
}

TEST(PrepositionObject, PairsThePrepositionWithTheNounOfItsPhrase) {
  // "She sat on the old chair near the top of the hill"
  const Sentence sentence = tree({{"She", "PRON", 2, "nsubj"},
                                  {"sat", "VERB", 0, "root"},
                                  {"on", "ADP", 6, "case"},
                                  {"the", "DET", 6, "det"},
                                  {"old", "ADJ", 6, "amod"},
                                  {"chair", "NOUN", 2, "obl"},
                                  {"near", "ADP", 9, "case"},
                                  {"the", "DET", 9, "det"},
                                  {"top", "NOUN", 2, "obl:npmod"},
                                  {"of", "ADP", 12, "case"},
                                  {"the", "DET", 12, "det"},
                                  {"hill", "NOUN", 9, "nmod"},
                                  {"'s", "PART", 12, "case"}});
  EXPECT_EQ(run("preposition_object", sentence),
            (Found{{2, 5, {2, 3, 4, 5}}, {6, 8, {6, 7, 8}}, {9, 11, {9, 10, 11}}}));
  EXPECT_EQ(run("preposition_object", sentence, {{"phrase_relations", strings({"nmod"})}}),
            (Found{{9, 11, {9, 10, 11}}}));
  EXPECT_EQ(run("preposition_object", sentence, {{"phrase_relations", strings({"obl:tmod"})}}),
            Found{});
  EXPECT_EQ(run("preposition_object", sentence, {{"span", ConfigNode::string("anchors")}}),
            (Found{{2, 5, {2, 5}}, {6, 8, {6, 8}}, {9, 11, {9, 11}}}));
  EXPECT_EQ(
      run("preposition_object", sentence, {{"controller_upos", strings({"ADP", "PART"})}}).size(),
      4u);
}

TEST(AdverbVerb, PairsAdverbsWithTheVerbTheyModify) {
  // "she did not run very quickly": "very" modifies an adverb; "not" is a particle.
  const Sentence sentence = tree({{"she", "PRON", 4, "nsubj"},
                                  {"did", "AUX", 4, "aux"},
                                  {"not", "PART", 4, "advmod"},
                                  {"run", "VERB", 0, "root"},
                                  {"very", "ADV", 6, "advmod"},
                                  {"quickly", "ADV", 4, "advmod"}});
  EXPECT_EQ(run("adverb_verb", sentence), (Found{{3, 5, {3, 4, 5}}}));
  EXPECT_EQ(run("adverb_verb", sentence, {{"span", ConfigNode::string("anchors")}}),
            (Found{{3, 5, {3, 5}}}));
  EXPECT_EQ(run("adverb_verb", sentence, {{"target_upos", strings({"ADV", "PART"})}}),
            (Found{{3, 2, {2, 3}}, {3, 5, {3, 4, 5}}}));
  EXPECT_EQ(run("adverb_verb", sentence, {{"controller_upos", strings({"ADV"})}}),
            (Found{{5, 4, {4, 5}}}));
}

TEST(AgreementExtractors, BadOptionsAreConfigErrors) {
  ConfigNode table = ConfigNode::table();
  table.set("span", ConfigNode::string("whole"));
  const std::string message = dac::test::error_of<dac::UserError>(
      [&] { dac::agreements::make_extractor("subject_verb", table, "agreements.0"); });
  EXPECT_PRED2(dac::test::contains, message, "agreements.0.span");
  EXPECT_PRED2(dac::test::contains, message, "anchors");
  table = ConfigNode::table();
  table.set("max_words", ConfigNode::integer(1));
  EXPECT_PRED2(dac::test::contains, dac::test::error_of<dac::UserError>([&] {
                 dac::agreements::make_extractor("adverb_verb", table);
               }),
               "extractor.max_words");
}

TEST(AgreementExtractors, ThePluginRegistersAllEightWithHelpForEveryKey) {
  dac::PluginHost host;
  host.load_library(std::filesystem::path(DAC_PLUGIN_DIR) / "dac_agreements.so");
  const dac::Registry& registry = host.registry("agreement_extractor");
  const std::vector<std::string> expected = {
      "adjective_noun",      "adverb_verb",        "determiner_noun", "noun_compound",
      "predicate_adjective", "preposition_object", "subject_verb",    "verb_object"};
  EXPECT_EQ(registry.names(), expected);
  for (const dac::PluginInfo* info : registry.list()) {
    for (const dac::KeySpec& key : info->spec.schema.keys())
      EXPECT_FALSE(key.help.empty()) << info->spec.name << "." << key.name;
    // Every extractor works from its defaults through the host.
    const auto extractor = host.create_named<dac::AgreementExtractor>(
        info->spec.name, ConfigNode::table(), "extractor");
    EXPECT_EQ(extractor->type(), info->spec.name);
  }
}

}  // namespace
