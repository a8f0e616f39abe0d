// DACBERT's plugins in dac_models: the `dacbert` encoder and the `chunk_transformer` and
// `bag_of_embeddings` submodels.
#pragma once

#include <memory>

#include "dac/kinds/encoder.hpp"
#include "dac/kinds/submodel.hpp"
#include "dac/options.hpp"
#include "dac/registry.hpp"

namespace dac {
class PluginHost;
}

namespace dac::plugins {

PluginSpec dacbert_spec();
// Builds the submodels through `host` (they are plugins of kind submodel).
std::unique_ptr<Encoder> make_dacbert(const Options& options, PluginHost& host);

PluginSpec chunk_transformer_spec();
std::unique_ptr<Submodel> make_chunk_transformer(const Options& options);

PluginSpec bag_of_embeddings_spec();
std::unique_ptr<Submodel> make_bag_of_embeddings(const Options& options);

}  // namespace dac::plugins
