// Entry point of the dac_core_stages plugin library.
#include "dac/plugin.hpp"
#include "system_check.hpp"

namespace {

void register_core_stages(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Stage>(dac::plugins::system_check_spec(), dac::plugins::make_system_check);
}

}  // namespace

DAC_PLUGIN_ENTRY(register_core_stages)
