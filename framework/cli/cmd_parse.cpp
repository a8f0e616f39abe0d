// `dacrun parse`: tags and parses raw text (segmented first) or a CoNLL-U file's words (kept as
// given) with a model from `dacrun train-parser`, writing CoNLL-U.
#include <chrono>
#include <iostream>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/parser/dependency_parser.hpp"
#include "dac/syntax/conllu.hpp"
#include "segmented_documents.hpp"

namespace dac::cli {

namespace {

constexpr const char* kParseUsage =
    "usage: dacrun parse --model MODEL --input FILE [--format text|conllu|conllu-text]\n"
    "                    [--output FILE] [--threads N] [--device cpu|cuda|auto]\n"
    "                    [--batch-words N] [--max-sentence-words N]\n"
    "Writes CoNLL-U with UPOS, HEAD and DEPREL from the model. --format text segments raw text\n"
    "(a blank line ends a paragraph); conllu keeps the file's words (gold tokenisation) and\n"
    "replaces UPOS, HEAD and DEPREL (LEMMA, XPOS, FEATS and DEPS are cleared, MISC kept);\n"
    "conllu-text segments the raw text rebuilt from a treebank's \"# text\" lines. Speed goes to\n"
    "standard error.";

// Forgets the annotation a parse must not see: everything but ID, FORM and MISC; empty nodes.
void strip_annotation(Sentence& sentence) {
  for (Word& word : sentence.words) {
    word.lemma = word.upos = word.xpos = word.feats = word.deprel = word.deps = "";
    word.head = -1;
  }
  std::erase_if(sentence.extra_lines,
                [](const ExtraLine& line) { return line.kind == ExtraLine::Kind::empty_node; });
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int parse_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("model", po::value<std::string>()->required(),
                        "parser model from `dacrun train-parser`")(
      "input", po::value<std::string>()->required(), "file to parse")(
      "format", po::value<std::string>()->default_value("text"), "text, conllu or conllu-text")(
      "output", po::value<std::string>(), "CoNLL-U file to write (default: standard output)")(
      "threads", po::value<unsigned>()->default_value(1), "CPU worker threads")(
      "device", po::value<std::string>()->default_value("cpu"), "cpu, cuda or auto")(
      "batch-words", po::value<std::size_t>()->default_value(512), "words per batch")(
      "max-sentence-words", po::value<std::size_t>()->default_value(150),
      "cut segmented sentences longer than this many words");
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, kParseUsage)) return kExitOk;

  const parser::DependencyParser parser(
      values["model"].as<std::string>(),
      {.threads = std::max(1u, values["threads"].as<unsigned>()),
       .batch_words = std::max<std::size_t>(1, values["batch-words"].as<std::size_t>()),
       .device = values["device"].as<std::string>()});
  const std::string input = values["input"].as<std::string>();
  const std::string format = values["format"].as<std::string>();

  const auto segment_start = std::chrono::steady_clock::now();
  std::vector<Sentence> sentences;
  if (format == "conllu") {
    sentences = read_conllu_file(input);
    for (Sentence& sentence : sentences) strip_annotation(sentence);
  } else if (format == "text" || format == "conllu-text") {
    syntax::SegmenterOptions segmenter;
    segmenter.max_sentence_words = values["max-sentence-words"].as<std::size_t>();
    sentences = segment_documents(read_raw_documents(input, format), segmenter);
  } else {
    throw UserError("unknown --format '" + format + "' (expected text, conllu or conllu-text)");
  }
  const double segment_seconds = seconds_since(segment_start);

  const auto parse_start = std::chrono::steady_clock::now();
  parser.annotate(sentences);
  const double parse_seconds = seconds_since(parse_start);

  const std::uint64_t words = write_sentences(
      sentences,
      values.count("output") ? std::optional(values["output"].as<std::string>()) : std::nullopt);
  std::cerr << "parse: " << sentences.size() << " sentences, " << words << " words; "
            << (format == "conllu" ? "read" : "segmented") << " in " << segment_seconds
            << " s, parsed in " << parse_seconds << " s ("
            << static_cast<long>(static_cast<double>(words) / std::max(parse_seconds, 1e-9))
            << " words/s; " << parser.describe() << ")\n";
  return kExitOk;
}

}  // namespace dac::cli
