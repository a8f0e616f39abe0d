// Test plugin library that registers a stage name the test_stages library already uses.
#include "dac/kinds/stage.hpp"
#include "dac/plugin.hpp"

namespace {

class Nothing : public dac::Stage {
 public:
  dac::ConfigNode run(dac::StageContext&) override { return dac::ConfigNode::table(); }
};

void register_duplicate(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Stage>({.name = "counting", .version = "1", .summary = "a second counting"},
                            [](const dac::Options&) { return std::make_unique<Nothing>(); });
}

}  // namespace

DAC_PLUGIN_ENTRY(register_duplicate)
