// The `glue` stage plugin: GLUE fine-tuning and evaluation of the run's pretrained encoder.
#pragma once

#include <memory>

#include "dac/kinds/stage.hpp"
#include "dac/registry.hpp"

namespace dac::plugins {

PluginSpec glue_spec();
std::unique_ptr<Stage> make_glue(const Options& options);

}  // namespace dac::plugins
