// The prepare stage: corpus -> (trained or loaded) WordPiece vocabulary -> per document:
// normalise, encode with offsets, optional annotation -> packed rows -> ordered train and
// validation shards with annotation sidecars, plus statistics.
#pragma once

#include <memory>

#include "dac/kinds/stage.hpp"
#include "dac/registry.hpp"

namespace dac::plugins {

PluginSpec prepare_spec();
std::unique_ptr<Stage> make_prepare(const Options& options);

}  // namespace dac::plugins
