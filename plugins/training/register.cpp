// Entry point of the dac_training plugin library: the pretrain, agreement_submodels, glue, probe
// and attention_study stages and the lr schedules.
#include "agreement_submodels_stage.hpp"
#include "attention_stage.hpp"
#include "dac/plugin.hpp"
#include "glue_stage.hpp"
#include "lr_schedules.hpp"
#include "pretrain_stage.hpp"
#include "probe_stage.hpp"

namespace {

void register_training(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Stage>(dac::plugins::pretrain_spec(), dac::plugins::make_pretrain);
  registrar.add<dac::Stage>(dac::plugins::glue_spec(), dac::plugins::make_glue);
  registrar.add<dac::Stage>(dac::plugins::probe_spec(), dac::plugins::make_probe);
  registrar.add<dac::Stage>(dac::plugins::agreement_submodels_spec(),
                            dac::plugins::make_agreement_submodels);
  registrar.add<dac::Stage>(dac::plugins::attention_study_spec(),
                            dac::plugins::make_attention_study);
  dac::plugins::register_lr_schedules(registrar);
}

}  // namespace

DAC_PLUGIN_ENTRY(register_training)
