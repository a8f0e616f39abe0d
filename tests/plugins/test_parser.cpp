// Test plugin library for annotation without the neural parser: a parser `whitespace` (words are
// whitespace-separated, a "." word or a blank line ends a sentence, every word's head is the word
// before it) and an extractor `previous_word` (every word with its head: controller = the head,
// target = the word). With DAC_TEST_PARSER_FAIL_ON=WORD in the environment, parsing a text that
// holds WORD throws, to interrupt a run.
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "dac/kinds/agreement_extractor.hpp"
#include "dac/kinds/parser.hpp"
#include "dac/plugin.hpp"

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

class WhitespaceParser : public dac::Parser {
 public:
  std::vector<dac::Sentence> parse(std::string_view text) const override {
    const char* fail_on = std::getenv("DAC_TEST_PARSER_FAIL_ON");
    std::vector<dac::Sentence> sentences;
    dac::Sentence current;
    auto close = [&] {
      if (current.words.empty()) return;
      const std::size_t begin = current.words.front().begin;
      current.text = std::string(text.substr(begin, current.words.back().end - begin));
      sentences.push_back(std::move(current));
      current = {};
    };
    std::size_t i = 0;
    while (i < text.size()) {
      if (is_space(text[i])) {
        if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n') close();
        ++i;
        continue;
      }
      const std::size_t begin = i;
      while (i < text.size() && !is_space(text[i])) ++i;
      dac::Word word;
      word.form = std::string(text.substr(begin, i - begin));
      if (fail_on && word.form == fail_on)
        throw std::runtime_error("injected parser failure at '" + word.form + "'");
      word.begin = begin;
      word.end = i;
      word.head = static_cast<int>(current.words.size()) - 1;
      word.upos = "X";
      word.deprel = word.head < 0 ? "root" : "dep";
      current.words.push_back(std::move(word));
      if (current.words.back().form == ".") close();
    }
    close();
    return sentences;
  }
};

class PreviousWordExtractor : public dac::AgreementExtractor {
 public:
  std::string_view type() const override { return "previous_word"; }
  std::vector<dac::Chunk> extract(const dac::Sentence& sentence) const override {
    std::vector<dac::Chunk> chunks;
    for (int i = 0; i < static_cast<int>(sentence.words.size()); ++i) {
      const int head = sentence.words[i].head;
      if (head >= 0) chunks.push_back({{std::min(head, i), std::max(head, i)}, head, i});
    }
    return chunks;
  }
};

void register_test_parser(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Parser>(
      {.name = "whitespace",
       .version = "1",
       .summary = "words split at whitespace, each attached to the one before",
       .schema = dac::ConfigSchema().string("model", "", "ignored")},
      [](const dac::Options&) { return std::make_unique<WhitespaceParser>(); });
  registrar.add<dac::AgreementExtractor>(
      {.name = "previous_word", .version = "1", .summary = "every word with its head"},
      [](const dac::Options&) { return std::make_unique<PreviousWordExtractor>(); });
}

}  // namespace

DAC_PLUGIN_ENTRY(register_test_parser)
