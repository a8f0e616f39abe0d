// Test plugin library compiled with another framework ABI version (see CMakeLists.txt): the host
// must refuse it.
#include "dac/plugin.hpp"

namespace {
void register_nothing(dac::PluginRegistrar&) {}
}  // namespace

DAC_PLUGIN_ENTRY(register_nothing)
