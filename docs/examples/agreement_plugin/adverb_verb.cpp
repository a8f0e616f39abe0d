// Example plugin: the agreement extractor `adverb_verb`, which pairs every adverb (UPOS ADV,
// relation advmod) and, if configured, every negation ("not", "n't") with the verb it modifies.
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "dac/kinds/agreement_extractor.hpp"
#include "dac/plugin.hpp"

namespace {

// "advmod" and its subtypes such as "advmod:emph".
bool is_advmod(const std::string& deprel) {
  return deprel == "advmod" || deprel.starts_with("advmod:");
}

bool is_negation(const dac::Word& word) {
  std::string form = word.form;
  std::transform(form.begin(), form.end(), form.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return form == "not" || form == "n't";
}

class AdverbVerb : public dac::AgreementExtractor {
 public:
  explicit AdverbVerb(const dac::Options& options)
      : include_negation_(options.boolean("include_negation")) {}

  std::string_view type() const override { return "adverb_verb"; }

  // One chunk per adverb: [adverb, verb] in word order; the verb controls, the adverb is the
  // target.
  std::vector<dac::Chunk> extract(const dac::Sentence& sentence) const override {
    std::vector<dac::Chunk> chunks;
    const int size = static_cast<int>(sentence.words.size());
    for (int i = 0; i < size; ++i) {
      const dac::Word& word = sentence.words[i];
      if (!is_advmod(word.deprel) || word.head < 0 || word.head >= size) continue;
      if (sentence.words[word.head].upos != "VERB") continue;
      // Negations count whatever their tag (UD tags "not" PART, some treebanks ADV).
      const bool negation = is_negation(word);
      if (negation ? !include_negation_ : word.upos != "ADV") continue;
      chunks.push_back({{std::min(i, word.head), std::max(i, word.head)}, word.head, i});
    }
    return chunks;
  }

 private:
  bool include_negation_;
};

void register_plugins(dac::PluginRegistrar& registrar) {
  registrar.add<dac::AgreementExtractor>(
      {.name = "adverb_verb",
       .version = "1",
       .summary = "adverb (advmod) -> the verb it modifies",
       .schema = dac::ConfigSchema().boolean("include_negation", true,
                                             "also pair negations (\"not\", \"n't\") with verbs")},
      [](const dac::Options& options) { return std::make_unique<AdverbVerb>(options); });
}

}  // namespace

DAC_PLUGIN_ENTRY(register_plugins)
