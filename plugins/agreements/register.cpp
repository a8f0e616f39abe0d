// Entry point of the dac_agreements plugin library: the eight built-in agreement extractors.
#include "catalog.hpp"
#include "dac/plugin.hpp"

namespace {

void register_agreements(dac::PluginRegistrar& registrar) {
  for (const dac::agreements::ExtractorEntry& entry : dac::agreements::built_in_extractors())
    registrar.add<dac::AgreementExtractor>(entry.spec, entry.make);
}

}  // namespace

DAC_PLUGIN_ENTRY(register_agreements)
