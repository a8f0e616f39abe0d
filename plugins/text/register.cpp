// Entry point of the dac_text_plugins library: normalisers, file corpora and the prepare stage.
#include "corpus_plugins.hpp"
#include "dac/kinds/normalizer.hpp"
#include "dac/plugin.hpp"
#include "dac/text/normalizers.hpp"
#include "prepare_stage.hpp"

namespace {

void register_text_plugins(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Normalizer>(
      {.name = "bert_uncased",
       .version = "1",
       .summary = "BERT's uncased basic tokenizer: clean, pad CJK, lowercase, strip accents, "
                  "split punctuation"},
      [](const dac::Options&) { return dac::text::make_normalizer("bert_uncased"); });
  registrar.add<dac::Normalizer>(
      {.name = "crammed",
       .version = "1",
       .summary = "the Crammed BERT recipe: quotes, NFD, lowercase, strip accents, ASCII only, "
                  "\\w+ and punctuation runs"},
      [](const dac::Options&) { return dac::text::make_normalizer("crammed"); });
  dac::plugins::register_corpora(registrar);
  registrar.add<dac::Stage>(dac::plugins::prepare_spec(), dac::plugins::make_prepare);
}

}  // namespace

DAC_PLUGIN_ENTRY(register_text_plugins)
