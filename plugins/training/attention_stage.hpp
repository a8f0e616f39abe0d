// The `attention_study` stage plugin: how much attention agreement targets pay their controllers
// in the run's pretrained encoder, per agreement type, layer and head.
#pragma once

#include <memory>

#include "dac/kinds/stage.hpp"
#include "dac/registry.hpp"

namespace dac::plugins {

PluginSpec attention_study_spec();
std::unique_ptr<Stage> make_attention_study(const Options& options);

}  // namespace dac::plugins
