// Entry point of the dac_glue_tasks plugin library: the nine GLUE tasks (kind glue_task).
#include "dac/plugin.hpp"
#include "glue_task_catalog.hpp"

namespace {

void register_glue_tasks(dac::PluginRegistrar& registrar) {
  for (const dac::glue_tasks::GlueTaskEntry& entry : dac::glue_tasks::glue_task_entries())
    registrar.add<dac::GlueTask>(entry.spec, entry.make);
}

}  // namespace

DAC_PLUGIN_ENTRY(register_glue_tasks)
