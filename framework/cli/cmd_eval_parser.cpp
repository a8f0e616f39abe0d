// `dacrun eval-parser`: scores a system CoNLL-U file against a gold one with the CoNLL 2018
// shared-task metrics (tokens, sentences, words, UPOS, UAS, LAS) and prints the table.
#include <iostream>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"
#include "dac/syntax/ud_evaluation.hpp"

namespace dac::cli {

namespace {

constexpr const char* kEvalParserUsage =
    "usage: dacrun eval-parser --gold FILE --system FILE\n"
    "Scores the system's CoNLL-U against the gold CoNLL-U as the CoNLL 2018 shared task does:\n"
    "tokens, sentences and words are matched by their character spans (whitespace ignored), so\n"
    "the two files may be segmented differently, but their texts must be the same. Prints\n"
    "precision, recall and F1 for Tokens, Sentences, Words, UPOS, UAS, LAS (universal relations)\n"
    "and LAS+subtypes.";

}  // namespace

int eval_parser_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("gold", po::value<std::string>()->required(), "gold CoNLL-U file")(
      "system", po::value<std::string>()->required(), "system CoNLL-U file to score");
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, kEvalParserUsage)) return kExitOk;
  const auto gold = read_conllu_file(values["gold"].as<std::string>());
  const auto system = read_conllu_file(values["system"].as<std::string>());
  std::cout << syntax::format_ud_evaluation(syntax::evaluate_ud(gold, system)) << std::flush;
  return kExitOk;
}

}  // namespace dac::cli
