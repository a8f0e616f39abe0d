// The GLUE task plugins' config schemas and factories: one per task description, all alike.
#include "glue_task_catalog.hpp"

#include <stdexcept>

#include "glue_tsv_task.hpp"
#include "task_descriptions.hpp"

namespace dac::glue_tasks {

namespace {

ConfigSchema task_schema(const TaskDescription& task) {
  ConfigSchema files;
  for (const SplitFile& split : task.splits)
    files.string(split.split, "",
                 "file of split " + split.split + " in the folder; empty: " + split.file);
  return ConfigSchema()
      .string("root", "",
              "the folder holding the GLUE data in the standard layout <root>/" + task.folder +
                  "/*.tsv that the GLUE download script download_glue_data.py creates; relative "
                  "to the config file")
      .string("folder", task.folder, "the task's folder under root")
      .table("files", std::move(files),
             "file names by split replacing the standard ones, e.g. files = {train = "
             "\"train_subset.tsv\"}")
      .boolean("header", true,
               "false: no file starts with a header line (a re-split subset, say); columns are "
               "then taken at their standard positions")
      .integer("max_examples", 0, "read only the first rows of each split, for quick runs; 0: all")
      .min(0);
}

TaskSettings task_settings(const TaskDescription& task, const Options& options) {
  TaskSettings settings;
  if (!options.string("root").empty()) settings.root = resolve_config_path(options.node("root"));
  settings.folder = options.string("folder");
  const Options files = options.table("files");
  for (const SplitFile& split : task.splits)
    if (!files.string(split.split).empty()) settings.files[split.split] = files.string(split.split);
  settings.header = options.boolean("header");
  settings.max_examples = options.integer("max_examples");
  return settings;
}

std::vector<GlueTaskEntry> make_entries() {
  std::vector<GlueTaskEntry> entries;
  for (const TaskDescription& task : task_descriptions())
    entries.push_back(
        {{.name = task.name, .version = "1", .summary = task.summary, .schema = task_schema(task)},
         [task](const Options& options) -> std::unique_ptr<GlueTask> {
           return std::make_unique<GlueTsvTask>(task, task_settings(task, options));
         }});
  return entries;
}

}  // namespace

const std::vector<GlueTaskEntry>& glue_task_entries() {
  static const std::vector<GlueTaskEntry> entries = make_entries();
  return entries;
}

std::unique_ptr<GlueTask> make_glue_task(std::string_view name, const ConfigNode& table,
                                         const std::string& path) {
  for (const GlueTaskEntry& entry : glue_task_entries())
    if (entry.spec.name == name) return entry.make(entry.spec.schema.validate(table, path));
  throw std::invalid_argument("no GLUE task '" + std::string(name) + "'");
}

}  // namespace dac::glue_tasks
