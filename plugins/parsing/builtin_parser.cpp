// The `builtin` parser plugin. The prepare stage calls it from several threads at once, one
// document per call: each call runs on its caller's thread, with torch kept to one thread.
#include "builtin_parser.hpp"

#include "dac/cpu_runtime.hpp"
#include "dac/kinds/parser.hpp"
#include "dac/parser/dependency_parser.hpp"
#include "dac/syntax/segmenter.hpp"

namespace dac::plugins {

namespace {

class BuiltinParser : public Parser {
 public:
  explicit BuiltinParser(const Options& options)
      : parser_(resolve_config_path(options.node("model")),
                {.threads = 1,
                 .batch_words = static_cast<std::size_t>(options.integer("batch_words")),
                 .device = options.string("device")}) {
    segmenter_.max_sentence_words = static_cast<std::size_t>(options.integer("max_sentence_words"));
    segmenter_.newline_ends_sentence = options.boolean("newline_ends_sentence");
    set_cpu_threads(1);
  }

  std::vector<Sentence> parse(std::string_view text) const override {
    std::vector<Sentence> sentences = syntax::segment(text, segmenter_);
    parser_.annotate(sentences);
    return sentences;
  }

 private:
  syntax::SegmenterOptions segmenter_;
  parser::DependencyParser parser_;
};

}  // namespace

PluginSpec builtin_parser_spec() {
  return PluginSpec{
      .name = "builtin",
      .version = "1",
      .summary = "English segmentation + the built-in BiLSTM tagger and biaffine parser",
      .schema = ConfigSchema()
                    .required("model", KeyType::String,
                              "parser model file from `dacrun train-parser` or a train_parser "
                              "stage (relative to the config file)")
                    .integer("batch_words", 512, "words per inference batch")
                    .min(1)
                    .string("device", "cpu", "cpu, cuda or auto")
                    .choices({"cpu", "cuda", "auto"})
                    .integer("max_sentence_words", 150, "sentences are cut after this many words")
                    .min(1)
                    .boolean("newline_ends_sentence", false,
                             "every line break ends a sentence (one sentence per line)")};
}

std::unique_ptr<Parser> make_builtin_parser(const Options& options) {
  return std::make_unique<BuiltinParser>(options);
}

}  // namespace dac::plugins
