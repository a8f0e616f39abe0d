// `dacrun eval-extract`: how well agreement extraction survives parsing errors. Runs agreement
// extractors on the gold trees and on a system parse of the same words and prints, per type, the
// chunk counts and precision, recall and F1 of the system's chunks (exact and by anchor pair).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aligned_treebanks.hpp"
#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/kinds/agreement_extractor.hpp"
#include "dac/plugin_host.hpp"
#include "dac/syntax/chunk_matching.hpp"

namespace dac::cli {

namespace {

constexpr const char* kEvalExtractUsage =
    "usage: dacrun eval-extract --gold FILE --system FILE [--extractor NAME]...\n"
    "                           [--set NAME.key=value]... [--plugin PATH]...\n"
    "Runs each agreement extractor on the gold trees and on the system trees of the same words\n"
    "and prints per type: gold and system chunk counts, then precision, recall and F1 (in %) of\n"
    "the system chunks, for exact chunks (same controller, target and members) and for anchor\n"
    "pairs (same controller and target).";

// The built-in extractors, the default set: the method's four, then the extras.
const std::vector<std::string> kBuiltInExtractors = {
    "subject_verb",        "verb_object",   "adjective_noun",     "determiner_noun",
    "predicate_adjective", "noun_compound", "preposition_object", "adverb_verb"};

struct Evaluated {
  std::shared_ptr<AgreementExtractor> extractor;
  ChunkMatchCounts counts;
};

// One extractor per --extractor (or the built-in ones), each with its --set NAME.key=value keys.
std::vector<Evaluated> make_extractors(PluginHost& host, const po::variables_map& values) {
  const std::vector<std::string> names = values.count("extractor")
                                             ? values["extractor"].as<std::vector<std::string>>()
                                             : kBuiltInExtractors;
  if (values.count("set"))
    for (const auto& assignment : values["set"].as<std::vector<std::string>>())
      if (assignment.find('.') > assignment.find('='))
        throw UserError("--set " + assignment + ": expected NAME.key=value, NAME an extractor");
  const ConfigNode settings = set_assignments(values);
  for (const std::string& name : settings.keys())
    if (std::find(names.begin(), names.end(), name) == names.end())
      throw UserError("--set " + name + ".KEY=VALUE: '" + name +
                      "' is not one of the extractors evaluated");
  std::vector<Evaluated> extractors;
  for (const std::string& name : names) {
    const ConfigNode* options = settings.find(name);
    extractors.push_back({host.create_named<AgreementExtractor>(
                              name, options ? *options : ConfigNode::table(), name),
                          {}});
  }
  return extractors;
}

std::string percent(double value) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", 100 * value);
  return text;
}

void print_table(const std::vector<Evaluated>& extractors) {
  std::printf("%-20s %7s %7s %8s %8s %8s %8s %8s %8s\n", "type", "gold", "system", "exact_P",
              "exact_R", "exact_F1", "anchor_P", "anchor_R", "anchor_F1");
  for (const Evaluated& evaluated : extractors) {
    const ChunkMatchCounts& c = evaluated.counts;
    const PrecisionRecall exact = precision_recall(c.exact, c.gold, c.system);
    const PrecisionRecall anchors = precision_recall(c.anchors, c.gold, c.system);
    std::printf("%-20s %7llu %7llu %8s %8s %8s %8s %8s %8s\n",
                std::string(evaluated.extractor->type()).c_str(),
                static_cast<unsigned long long>(c.gold), static_cast<unsigned long long>(c.system),
                percent(exact.precision).c_str(), percent(exact.recall).c_str(),
                percent(exact.f1).c_str(), percent(anchors.precision).c_str(),
                percent(anchors.recall).c_str(), percent(anchors.f1).c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int eval_extract_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("gold", po::value<std::string>()->required(), "gold CoNLL-U file")(
      "system", po::value<std::string>()->required(),
      "CoNLL-U file of the same words parsed by the system")(
      "extractor", po::value<std::vector<std::string>>()->composing(),
      "agreement extractor to evaluate (repeatable; default: the eight built-in ones)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "an extractor option, e.g. --set subject_verb.span=anchors (repeatable)");
  add_plugin_option(options);
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, kEvalExtractUsage)) return kExitOk;

  PluginHost host;
  load_plugins(host, values);
  std::vector<Evaluated> extractors = make_extractors(host, values);
  AlignedTreebanks treebanks(values["gold"].as<std::string>(), values["system"].as<std::string>());
  std::uint64_t words = 0;
  Sentence gold, system;
  while (treebanks.next(gold, system)) {
    words += gold.words.size();
    for (Evaluated& evaluated : extractors)
      count_chunk_matches(evaluated.extractor->extract(gold), evaluated.extractor->extract(system),
                          evaluated.counts);
  }
  print_table(extractors);
  std::cerr << "eval-extract: " << treebanks.sentences() << " sentences, " << words << " words\n";
  return kExitOk;
}

}  // namespace dac::cli
