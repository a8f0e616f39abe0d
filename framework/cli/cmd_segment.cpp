// `dacrun segment`: splits raw English text into sentences and words (English-EWT conventions)
// and writes them as CoNLL-U with a flat tree, ready for a parser or for `dacrun eval-parser`.
#include <iostream>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"
#include "segmented_documents.hpp"

namespace dac::cli {

namespace {

constexpr const char* kSegmentUsage =
    "usage: dacrun segment --input FILE [--format text|conllu-text] [--output FILE]\n"
    "                      [--max-sentence-words N] [--newline-ends-sentence]\n"
    "Writes CoNLL-U: one line per word (ID, FORM, HEAD, SpaceAfter=No; the first word of each\n"
    "sentence is its root and the others depend on it), multiword tokens for contractions,\n"
    "\"# newdoc\", \"# newpar\", \"# sent_id\" and \"# text\" comments. A blank line ends a\n"
    "paragraph and a sentence. With --format conllu-text the input is a CoNLL-U treebank whose\n"
    "raw text is rebuilt from its \"# text\" lines (documents from \"# newdoc\", paragraphs from\n"
    "\"# newpar\") and segmented anew, so that the output can be scored against the treebank.";

}  // namespace

int segment_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("input", po::value<std::string>()->required(), "file to segment")(
      "format", po::value<std::string>()->default_value("text"),
      "text (raw text) or conllu-text (the \"# text\" lines of a CoNLL-U treebank)")(
      "output", po::value<std::string>(), "CoNLL-U file to write (default: standard output)")(
      "max-sentence-words", po::value<std::size_t>()->default_value(150),
      "cut sentences longer than this many words")(
      "newline-ends-sentence", "every line break ends a sentence (one sentence per line)");
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, kSegmentUsage)) return kExitOk;
  const syntax::SegmenterOptions segmenter{
      .max_sentence_words = values["max-sentence-words"].as<std::size_t>(),
      .newline_ends_sentence = values.count("newline-ends-sentence") > 0};
  if (segmenter.max_sentence_words == 0) throw UserError("--max-sentence-words must be at least 1");
  const auto documents =
      read_raw_documents(values["input"].as<std::string>(), values["format"].as<std::string>());
  const std::vector<Sentence> sentences = segment_documents(documents, segmenter);

  const std::uint64_t words = write_sentences(
      sentences,
      values.count("output") ? std::optional(values["output"].as<std::string>()) : std::nullopt);
  std::cerr << "segment: " << documents.size() << " documents, " << sentences.size()
            << " sentences, " << words << " words\n";
  return kExitOk;
}

}  // namespace dac::cli
