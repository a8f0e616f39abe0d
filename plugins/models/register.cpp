// Entry point of the dac_models plugin library: the encoder architectures and the agreement
// submodels.
#include "dac/plugin.hpp"
#include "dacbert_plugins.hpp"
#include "encoder_plugins.hpp"

namespace {

void register_models(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Encoder>(dac::plugins::crammed_bert_spec(), dac::plugins::make_crammed_bert);
  registrar.add<dac::Encoder>(dac::plugins::bert_original_spec(), dac::plugins::make_bert_original);
  registrar.add<dac::Encoder>(dac::plugins::dacbert_spec(),
                              [&host = registrar.host()](const dac::Options& options) {
                                return dac::plugins::make_dacbert(options, host);
                              });
  registrar.add<dac::Submodel>(dac::plugins::chunk_transformer_spec(),
                               dac::plugins::make_chunk_transformer);
  registrar.add<dac::Submodel>(dac::plugins::bag_of_embeddings_spec(),
                               dac::plugins::make_bag_of_embeddings);
}

}  // namespace

DAC_PLUGIN_ENTRY(register_models)
