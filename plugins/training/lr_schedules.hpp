// The lr_schedule plugins: triangle (the Crammed BERT budget triangle), cosine, linear, constant.
#pragma once

#include <vector>

#include "dac/kinds/lr_schedule.hpp"
#include "dac/plugin.hpp"

namespace dac::plugins {

void register_lr_schedules(PluginRegistrar& registrar);

}  // namespace dac::plugins
