// Example plugin: the agreement extractor `negation_verb`, which pairs every negation word ("not",
// "n't", "never" attached with advmod) with the verb it negates. The negation controls: in English
// it brings do-support and a bare verb ("she did not run", not "she not ran").
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "dac/kinds/agreement_extractor.hpp"
#include "dac/plugin.hpp"

namespace {

// "advmod" and its subtypes such as "advmod:neg"; likewise for "aux" ("aux:pass").
bool has_relation(const dac::Word& word, const std::string& relation) {
  return word.deprel == relation || word.deprel.starts_with(relation + ":");
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

class NegationVerb : public dac::AgreementExtractor {
 public:
  explicit NegationVerb(const dac::Options& options)
      : include_aux_(options.boolean("include_aux")) {
    for (const std::string& word : options.strings("words")) words_.push_back(lowercase(word));
  }

  std::string_view type() const override { return "negation_verb"; }

  // One chunk per negation: the negation (controller), the verb (target) and, with include_aux,
  // the verb's auxiliaries, in word order.
  std::vector<dac::Chunk> extract(const dac::Sentence& sentence) const override {
    std::vector<dac::Chunk> chunks;
    const int size = static_cast<int>(sentence.words.size());
    for (int i = 0; i < size; ++i) {
      const dac::Word& word = sentence.words[i];
      const int verb = word.head;
      if (!has_relation(word, "advmod") || verb < 0 || verb >= size) continue;
      if (sentence.words[verb].upos != "VERB" && sentence.words[verb].upos != "AUX") continue;
      if (std::find(words_.begin(), words_.end(), lowercase(word.form)) == words_.end()) continue;
      dac::Chunk chunk{{i, verb}, i, verb};
      for (int j = 0; include_aux_ && j < size; ++j)
        if (sentence.words[j].head == verb && has_relation(sentence.words[j], "aux"))
          chunk.members.push_back(j);
      std::sort(chunk.members.begin(), chunk.members.end());
      chunks.push_back(std::move(chunk));
    }
    return chunks;
  }

 private:
  std::vector<std::string> words_;  // lower case
  bool include_aux_;
};

void register_plugins(dac::PluginRegistrar& registrar) {
  registrar.add<dac::AgreementExtractor>(
      {.name = "negation_verb",
       .version = "1",
       .summary = "negation (not, n't, never) -> the verb it negates",
       .schema = dac::ConfigSchema()
                     .strings("words", {"not", "n't", "never"},
                              "negation words (any case) attached to a verb with advmod")
                     .boolean("include_aux", true,
                              "the verb's auxiliaries (aux) join the chunk: \"did not run\"")},
      [](const dac::Options& options) { return std::make_unique<NegationVerb>(options); });
}

}  // namespace

DAC_PLUGIN_ENTRY(register_plugins)
