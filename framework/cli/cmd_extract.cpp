// `dacrun extract`: runs one agreement extractor over every sentence of a CoNLL-U file and prints
// each chunk as a JSON line, to try an extractor on a treebank.
#include <iostream>
#include <stdexcept>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/kinds/agreement_extractor.hpp"
#include "dac/plugin_host.hpp"
#include "dac/syntax/conllu.hpp"

namespace dac::cli {

namespace {

constexpr const char* kExtractUsage =
    "usage: dacrun extract --extractor NAME --conllu FILE [--set key=value]... [--plugin PATH]...\n"
    "                      [--limit N] [--skip-malformed]\n"
    "Prints one JSON object per chunk: {\"sent_id\", \"type\", \"controller\", \"target\",\n"
    "\"members\"}, each word as {\"index\" (0-based, CoNLL-U id - 1), \"form\"}; then a summary\n"
    "on stderr.";

std::string word_json(const Sentence& sentence, int index, std::string_view extractor) {
  if (index < 0 || index >= static_cast<int>(sentence.words.size()))
    throw std::runtime_error("extractor '" + std::string(extractor) + "' returned word index " +
                             std::to_string(index) + " outside a sentence of " +
                             std::to_string(sentence.words.size()) + " words");
  return "{\"index\": " + std::to_string(index) +
         ", \"form\": " + json_quote(sentence.words[index].form) + "}";
}

void append_chunk_json(const Sentence& sentence, const Chunk& chunk,
                       const AgreementExtractor& extractor, std::string& out) {
  const auto id = comment_value(sentence, "sent_id");
  out += "{\"sent_id\": " + (id ? json_quote(*id) : std::string("null")) +
         ", \"type\": " + json_quote(extractor.type()) +
         ", \"controller\": " + word_json(sentence, chunk.controller, extractor.type()) +
         ", \"target\": " + word_json(sentence, chunk.target, extractor.type()) +
         ", \"members\": [";
  for (std::size_t i = 0; i < chunk.members.size(); ++i)
    out += (i ? ", " : "") + word_json(sentence, chunk.members[i], extractor.type());
  out += "]}\n";
}

}  // namespace

int extract_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("extractor", po::value<std::string>()->required(),
                        "agreement extractor to run (see `dacrun plugins --kind "
                        "agreement_extractor`)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "an extractor option, e.g. --set include_negation=false (repeatable)")(
      "conllu", po::value<std::string>()->required(), "CoNLL-U file to read")(
      "limit", po::value<std::uint64_t>(), "read at most this many sentences")(
      "skip-malformed", "skip malformed sentences (counted in the summary) instead of stopping");
  add_plugin_option(options);
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, kExtractUsage)) return kExitOk;

  PluginHost host;
  load_plugins(host, values);
  const std::string name = values["extractor"].as<std::string>();
  const auto extractor =
      host.create_named<AgreementExtractor>(name, set_assignments(values), "extractor");
  ConlluReader reader(values["conllu"].as<std::string>(),
                      {.skip_malformed = values.count("skip-malformed") > 0});
  const std::uint64_t limit =
      values.count("limit") ? values["limit"].as<std::uint64_t>() : UINT64_MAX;

  std::uint64_t sentences = 0, chunks = 0;
  std::string out;
  Sentence sentence;
  while (sentences < limit && reader.next(sentence)) {
    ++sentences;
    for (const Chunk& chunk : extractor->extract(sentence)) {
      append_chunk_json(sentence, chunk, *extractor, out);
      ++chunks;
    }
    if (out.size() > (1 << 16)) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out << std::flush;
  std::cerr << "extract: " << sentences << " sentences, " << chunks << " chunks ("
            << extractor->type() << ")";
  if (reader.skipped()) std::cerr << ", " << reader.skipped() << " malformed sentences skipped";
  std::cerr << "\n";
  return kExitOk;
}

}  // namespace dac::cli
