// The encoder plugins of dac_models: their specs (config keys) and factories.
#pragma once

#include <memory>

#include "dac/kinds/encoder.hpp"
#include "dac/options.hpp"
#include "dac/registry.hpp"

namespace dac::plugins {

PluginSpec crammed_bert_spec();
std::unique_ptr<Encoder> make_crammed_bert(const Options& options);

PluginSpec bert_original_spec();
std::unique_ptr<Encoder> make_bert_original(const Options& options);

}  // namespace dac::plugins
