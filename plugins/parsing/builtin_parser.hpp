// The `builtin` parser plugin: English segmentation, then the built-in tagger and dependency
// parser from a model file.
#pragma once

#include "dac/kinds/parser.hpp"
#include "dac/plugin.hpp"

namespace dac::plugins {

PluginSpec builtin_parser_spec();
std::unique_ptr<Parser> make_builtin_parser(const Options& options);

}  // namespace dac::plugins
