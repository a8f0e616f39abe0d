// Entry point of the dac_parsing plugin library: the `builtin` parser and the train_parser stage.
#include "builtin_parser.hpp"
#include "dac/plugin.hpp"
#include "train_parser_stage.hpp"

namespace {

void register_parsing(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Parser>(dac::plugins::builtin_parser_spec(),
                             dac::plugins::make_builtin_parser);
  registrar.add<dac::Stage>(dac::plugins::train_parser_spec(), dac::plugins::make_train_parser);
}

}  // namespace

DAC_PLUGIN_ENTRY(register_parsing)
