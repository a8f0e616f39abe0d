// The `agreement_submodels` stage plugin: DACBERT's stage 1, one submodel per agreement type
// trained with MLM inside the chunks of the prepared corpus.
#pragma once

#include <memory>

#include "dac/kinds/stage.hpp"
#include "dac/registry.hpp"

namespace dac::plugins {

PluginSpec agreement_submodels_spec();
std::unique_ptr<Stage> make_agreement_submodels(const Options& options);

}  // namespace dac::plugins
