// The `train_parser` stage: trains the built-in tagger and dependency parser on a CoNLL-U
// treebank (given paths, or the train.conllu and dev.conllu of an input stage) and leaves
// parser.model in its folder.
#pragma once

#include "dac/kinds/stage.hpp"
#include "dac/plugin.hpp"

namespace dac::plugins {

PluginSpec train_parser_spec();
std::unique_ptr<Stage> make_train_parser(const Options& options);

}  // namespace dac::plugins
