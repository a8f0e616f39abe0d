// Entry point of the dac_annotation library: the `agreements` annotator.
#include "agreement_annotator.hpp"
#include "dac/plugin.hpp"

namespace {

void register_annotation_plugins(dac::PluginRegistrar& registrar) {
  registrar.add<dac::text::DocumentAnnotator>(
      {.name = "agreements",
       .version = "1",
       .summary = "agreement chunks: parse (a parser plugin or an external CoNLL-U parse), run "
                  "the agreement extractors, align the chunks with the wordpieces",
       .schema = dac::annotation::AgreementOptions::schema()},
      [](const dac::Options& options) {
        return std::make_unique<dac::annotation::AgreementAnnotator>(
            dac::annotation::AgreementOptions::read(options));
      });
}

}  // namespace

DAC_PLUGIN_ENTRY(register_annotation_plugins)
