// The `pretrain` stage plugin.
#pragma once

#include <memory>

#include "dac/kinds/stage.hpp"
#include "dac/registry.hpp"

namespace dac::plugins {

PluginSpec pretrain_spec();
std::unique_ptr<Stage> make_pretrain(const Options& options);

}  // namespace dac::plugins
