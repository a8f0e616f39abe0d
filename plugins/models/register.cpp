// Entry point of the dac_models plugin library: the encoder architectures.
#include "dac/plugin.hpp"
#include "encoder_plugins.hpp"

namespace {

void register_models(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Encoder>(dac::plugins::crammed_bert_spec(), dac::plugins::make_crammed_bert);
  registrar.add<dac::Encoder>(dac::plugins::bert_original_spec(), dac::plugins::make_bert_original);
}

}  // namespace

DAC_PLUGIN_ENTRY(register_models)
