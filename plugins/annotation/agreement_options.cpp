// The `agreements` annotator's config keys.
#include "agreement_options.hpp"

namespace dac::annotation {

const std::vector<std::string>& default_extractors() {
  static const std::vector<std::string> names{"subject_verb", "verb_object", "adjective_noun",
                                              "determiner_noun"};
  return names;
}

ConfigSchema AgreementOptions::schema() {
  return ConfigSchema()
      .optional_plugin("parser", "parser",
                       "the parser: a table with `name` (e.g. builtin) and its keys (e.g. model); "
                       "inside a prepare stage with a train_parser input, a missing `model` is "
                       "that stage's parser.model")
      .optional("conllu", KeyType::StringList,
                "instead of a parser: the CoNLL-U files of the corpus parsed by another tool "
                "(spaCy, Stanza, UDPipe), relative to the config file, in corpus order")
      .string("pairing", "auto",
              "how CoNLL-U documents pair with corpus documents: id (\"# newdoc id = X\" = the "
              "corpus document id), order (the sentences that cover each document's text, in "
              "order) or auto (id when the first sentence has a document id)")
      .choices({"auto", "id", "order"})
      .optional("extractors", KeyType::Any,
                "the agreement extractors: an array of tables with `name` (or plain names); "
                "absent: subject_verb, verb_object, adjective_noun, determiner_noun");
}

AgreementOptions AgreementOptions::read(const Options& options) {
  AgreementOptions result;
  if (options.has("parser") == options.has("conllu"))
    options.fail(options.has("parser") ? "conllu" : "parser",
                 "give exactly one of `parser` (a parser plugin table) and `conllu` (CoNLL-U "
                 "files of the parsed corpus)");
  if (options.has("parser")) result.parser = options.node("parser");
  if (options.has("conllu")) {
    for (const ConfigNode& path : options.node("conllu").items())
      result.conllu.push_back(resolve_config_path(path));
    if (result.conllu.empty()) options.fail("conllu", "expected at least one CoNLL-U file");
  }
  const std::string& pairing = options.string("pairing");
  result.pairing = pairing == "id"      ? ConlluPairing::by_id
                   : pairing == "order" ? ConlluPairing::by_order
                                        : ConlluPairing::automatic;
  if (!options.has("extractors")) {
    for (const std::string& name : default_extractors()) {
      ConfigNode table = ConfigNode::table();
      table.set("name", ConfigNode::string(name));
      result.extractors.push_back(std::move(table));
    }
    return result;
  }
  const ConfigNode& list = options.node("extractors");
  if (!list.is_array() || list.items().empty())
    options.fail("extractors", "expected a non-empty array of extractor tables (or names)");
  for (const ConfigNode& item : list.items()) {
    if (item.type() == ConfigNode::Type::String) {
      ConfigNode table = ConfigNode::table(item.origin());
      table.set("name", item);
      result.extractors.push_back(std::move(table));
    } else if (item.is_table()) {
      result.extractors.push_back(item);
    } else {
      options.fail("extractors",
                   std::string("expected extractor tables or names, found a ") + item.type_name());
    }
  }
  return result;
}

}  // namespace dac::annotation
