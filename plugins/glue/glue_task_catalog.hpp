// The nine GLUE task plugins: each one's spec (name, version, summary, config schema) and factory,
// made from the task descriptions.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dac/config.hpp"
#include "dac/kinds/glue_task.hpp"
#include "dac/options.hpp"
#include "dac/registry.hpp"

namespace dac::glue_tasks {

struct GlueTaskEntry {
  PluginSpec spec;
  std::function<std::unique_ptr<GlueTask>(const Options&)> make;
};

// cola, sst2, mrpc, stsb, qqp, mnli, qnli, rte, wnli.
const std::vector<GlueTaskEntry>& glue_task_entries();

// The task `name` configured by `table` (validated against its schema at `path`).
std::unique_ptr<GlueTask> make_glue_task(std::string_view name,
                                         const ConfigNode& table = ConfigNode::table(),
                                         const std::string& path = "task");

}  // namespace dac::glue_tasks
