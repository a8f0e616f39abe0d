// The eight built-in agreement extractors: their rules as defaults of their config schemas, and
// factories that turn validated options into extractors.
#include "catalog.hpp"

#include <stdexcept>

#include "arc_extractor.hpp"
#include "subject_extractors.hpp"

namespace dac::agreements {

namespace {

const std::vector<std::string> kNominal = {"NOUN", "PROPN", "PRON"};
const std::vector<std::string> kNoun = {"NOUN", "PROPN"};

// The target and its own advmod dependents ("very" in "very big"), for modifiers.
std::vector<int> target_with_degree(const Sentence& sentence, const Dependents& dependents,
                                    int /*head*/, int dependent) {
  static const RelationSet degree({"advmod"});
  return dependents.with_relation(sentence, dependent, degree);
}

ExtractorEntry subject_verb() {
  ConfigSchema schema = common_schema(
      {.relations = {"nsubj"},
       .relations_help = "relations that attach the subject to its predicate",
       .controller_upos = kNominal,
       .controller_help = "the subject",
       .target_upos = {"VERB", "AUX"},
       .target_help = "the verb chosen by `target`",
       .span = "base_phrase",
       .phrase_help = "the subject's base noun phrase, the predicate and (with include_aux) its "
                      "aux/cop dependents"});
  add_noun_phrase_key(schema)
      .boolean("include_aux", true,
               "the predicate's aux/cop dependents (see aux_relations) join the chunk")
      .strings("aux_relations", {"aux", "cop"},
               "relations of the auxiliaries and copulas in the predicate's verb group")
      .string("target", "finite",
              "which verb is the target: \"finite\" = the first word of the verb group (the "
              "predicate and its aux/cop) with VerbForm=Fin, i.e. the one that shows agreement; "
              "without FEATS the first aux/cop, else the predicate; \"head\" = the predicate "
              "itself")
      .choices({"finite", "head"});
  return {{.name = "subject_verb",
           .version = "1",
           .summary = "subject (nsubj) -> the verb, auxiliary or copula that agrees with it",
           .schema = std::move(schema)},
          [](const Options& options) -> std::unique_ptr<AgreementExtractor> {
            return std::make_unique<SubjectVerb>(SubjectVerbRules{
                common_rules(options), noun_phrase_relations(options),
                RelationSet(options.strings("aux_relations")), options.boolean("include_aux"),
                options.string("target") == "head" ? VerbTarget::head : VerbTarget::finite});
          }};
}

// An extractor along one arc; `configure` adds its own keys to the schema, `rule` builds its
// rule from the validated options.
ExtractorEntry arc_entry(PluginSpec spec, const CommonDefaults& defaults,
                         const std::function<void(ConfigSchema&)>& configure,
                         std::function<ArcRule(const Options&)> rule) {
  spec.schema = common_schema(defaults);
  if (configure) configure(spec.schema);
  return {std::move(spec), [rule = std::move(rule)](const Options& options) {
            return std::unique_ptr<AgreementExtractor>(
                std::make_unique<ArcExtractor>(rule(options), common_rules(options)));
          }};
}

ExtractorEntry verb_object() {
  return arc_entry(
      {.name = "verb_object", .version = "1", .summary = "verb -> its object (obj, iobj)"},
      {.relations = {"obj", "iobj"},
       .relations_help = "relations that attach the object to its verb",
       .controller_upos = {"VERB"},
       .controller_help = "the verb",
       .target_upos = kNominal,
       .target_help = "the object",
       .span = "base_phrase",
       .phrase_help = "the verb and the object's base noun phrase"},
      [](ConfigSchema& schema) { add_noun_phrase_key(schema); },
      [](const Options& options) {
        return ArcRule{
            "verb_object", true, nullptr,
            [noun_phrase = noun_phrase_relations(options)](
                const Sentence& sentence, const Dependents& dependents, int, int object) {
              return base_noun_phrase(sentence, dependents, object, noun_phrase);
            }};
      });
}

ExtractorEntry adjective_noun() {
  return arc_entry({.name = "adjective_noun",
                    .version = "1",
                    .summary = "noun -> an adjective that modifies it (amod)"},
                   {.relations = {"amod"},
                    .relations_help = "relations that attach the adjective to its noun",
                    .controller_upos = kNoun,
                    .controller_help = "the noun",
                    .target_upos = {"ADJ"},
                    .target_help = "the adjective",
                    .span = "contiguous",
                    .phrase_help = "the noun, the adjective and the adjective's advmod dependents"},
                   nullptr, [](const Options&) {
                     return ArcRule{"adjective_noun", true, nullptr, target_with_degree};
                   });
}

ExtractorEntry determiner_noun() {
  return arc_entry({.name = "determiner_noun",
                    .version = "1",
                    .summary = "noun -> its determiner (det, det:predet)"},
                   {.relations = {"det"},
                    .relations_help = "relations that attach the determiner to its noun",
                    .controller_upos = kNoun,
                    .controller_help = "the noun",
                    .target_upos = {"DET"},
                    .target_help = "the determiner",
                    .span = "contiguous",
                    .phrase_help = "the noun and the determiner"},
                   nullptr, [](const Options&) {
                     return ArcRule{"determiner_noun", true, nullptr, nullptr};
                   });
}

ExtractorEntry predicate_adjective() {
  ConfigSchema schema = common_schema(
      {.relations = {"nsubj"},
       .relations_help = "relations that attach the subject to the adjective",
       .controller_upos = kNominal,
       .controller_help = "the subject",
       .target_upos = {"ADJ"},
       .target_help = "the predicate adjective",
       .span = "base_phrase",
       .phrase_help = "the subject's base noun phrase, the adjective and (with include_cop) its "
                      "copula"});
  add_noun_phrase_key(schema)
      .strings("cop_relations", {"cop"},
               "relations of the copula; an adjective counts only with such a dependent")
      .boolean("include_cop", true, "the copula joins the chunk");
  return {{.name = "predicate_adjective",
           .version = "1",
           .summary = "subject -> a predicate adjective (an ADJ with nsubj and cop)",
           .schema = std::move(schema)},
          [](const Options& options) -> std::unique_ptr<AgreementExtractor> {
            return std::make_unique<PredicateAdjective>(PredicateAdjectiveRules{
                common_rules(options), noun_phrase_relations(options),
                RelationSet(options.strings("cop_relations")), options.boolean("include_cop")});
          }};
}

ExtractorEntry noun_compound() {
  return arc_entry({.name = "noun_compound",
                    .version = "1",
                    .summary = "head noun -> a noun compounded with it (compound)"},
                   {.relations = {"compound"},
                    .relations_help = "relations that attach the modifying noun to the head noun",
                    .controller_upos = kNoun,
                    .controller_help = "the head noun",
                    .target_upos = kNoun,
                    .target_help = "the modifying noun",
                    .span = "contiguous",
                    .phrase_help = "the two nouns"},
                   nullptr, [](const Options&) {
                     return ArcRule{"noun_compound", true, nullptr, nullptr};
                   });
}

ExtractorEntry preposition_object() {
  return arc_entry(
      {.name = "preposition_object",
       .version = "1",
       .summary = "preposition (case) -> the noun of its obl or nmod phrase"},
      {.relations = {"case"},
       .relations_help = "relations that attach the preposition to its noun",
       .controller_upos = {"ADP"},
       .controller_help = "the preposition",
       .target_upos = kNominal,
       .target_help = "the noun",
       .span = "base_phrase",
       .phrase_help = "the preposition and the noun's base noun phrase"},
      [](ConfigSchema& schema) {
        add_noun_phrase_key(schema).strings(
            "phrase_relations", {"obl", "nmod"},
            "relations the noun itself must have (its phrase's role); subtypes match as in "
            "`relations`");
      },
      [](const Options& options) {
        return ArcRule{
            "preposition_object", false,
            [roles = RelationSet(options.strings("phrase_relations"))](const Sentence& sentence,
                                                                       int noun, int) {
              return roles.matches(sentence.words[static_cast<std::size_t>(noun)].deprel);
            },
            [noun_phrase = noun_phrase_relations(options)](
                const Sentence& sentence, const Dependents& dependents, int noun, int) {
              return base_noun_phrase(sentence, dependents, noun, noun_phrase);
            }};
      });
}

ExtractorEntry adverb_verb() {
  return arc_entry({.name = "adverb_verb",
                    .version = "1",
                    .summary = "verb -> an adverb that modifies it (advmod)"},
                   {.relations = {"advmod"},
                    .relations_help = "relations that attach the adverb to its verb",
                    .controller_upos = {"VERB"},
                    .controller_help = "the verb",
                    .target_upos = {"ADV"},
                    .target_help = "the adverb",
                    .span = "base_phrase",
                    .phrase_help = "the verb, the adverb and the adverb's own advmod dependents"},
                   nullptr, [](const Options&) {
                     return ArcRule{"adverb_verb", true, nullptr, target_with_degree};
                   });
}

}  // namespace

const std::vector<ExtractorEntry>& built_in_extractors() {
  static const std::vector<ExtractorEntry> entries = {
      subject_verb(),        verb_object(),   adjective_noun(),     determiner_noun(),
      predicate_adjective(), noun_compound(), preposition_object(), adverb_verb()};
  return entries;
}

const std::vector<std::string>& default_extractor_names() {
  static const std::vector<std::string> names = {"subject_verb", "verb_object", "adjective_noun",
                                                 "determiner_noun"};
  return names;
}

std::unique_ptr<AgreementExtractor> make_extractor(std::string_view name, const ConfigNode& table,
                                                   const std::string& path) {
  for (const ExtractorEntry& entry : built_in_extractors())
    if (entry.spec.name == name) return entry.make(entry.spec.schema.validate(table, path));
  throw std::invalid_argument("no built-in agreement extractor '" + std::string(name) + "'");
}

}  // namespace dac::agreements
