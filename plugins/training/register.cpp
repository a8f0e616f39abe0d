// Entry point of the dac_training plugin library: the pretrain stage and the lr schedules.
#include "dac/plugin.hpp"
#include "lr_schedules.hpp"
#include "pretrain_stage.hpp"

namespace {

void register_training(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Stage>(dac::plugins::pretrain_spec(), dac::plugins::make_pretrain);
  dac::plugins::register_lr_schedules(registrar);
}

}  // namespace

DAC_PLUGIN_ENTRY(register_training)
