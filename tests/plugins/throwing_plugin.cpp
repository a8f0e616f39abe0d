// Test plugin library whose registration fails part-way: its first entry must not stay behind.
#include <stdexcept>

#include "dac/kinds/stage.hpp"
#include "dac/plugin.hpp"

namespace {

class Nothing : public dac::Stage {
 public:
  dac::ConfigNode run(dac::StageContext&) override { return dac::ConfigNode::table(); }
};

void register_then_throw(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Stage>({.name = "half_registered", .version = "1", .summary = "left over?"},
                            [](const dac::Options&) { return std::make_unique<Nothing>(); });
  throw std::runtime_error("the model file this plugin needs is missing");
}

}  // namespace

DAC_PLUGIN_ENTRY(register_then_throw)
