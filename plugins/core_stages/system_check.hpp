// The system_check stage: records the compute device and measures dense matmul throughput, so a
// run shows whether a fast BLAS (or the GPU) is in use before any long work starts.
#pragma once

#include <memory>

#include "dac/kinds/stage.hpp"
#include "dac/registry.hpp"

namespace dac::plugins {

PluginSpec system_check_spec();
std::unique_ptr<Stage> make_system_check(const Options& options);

}  // namespace dac::plugins
