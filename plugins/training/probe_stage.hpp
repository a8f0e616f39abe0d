// The `probe` stage plugin: agreement probing of the run's pretrained encoder on minimal pairs by
// pseudo-log-likelihood.
#pragma once

#include <memory>

#include "dac/kinds/stage.hpp"
#include "dac/registry.hpp"

namespace dac::plugins {

PluginSpec probe_spec();
std::unique_ptr<Stage> make_probe(const Options& options);

}  // namespace dac::plugins
