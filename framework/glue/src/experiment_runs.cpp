// Reading an experiment's run records.
#include "dac/glue/experiment_runs.hpp"

#include <algorithm>

#include "dac/config.hpp"

namespace dac::glue {

std::vector<ExperimentRun> read_experiment_runs(const std::filesystem::path& experiment_dir,
                                                std::vector<std::string> folder_names) {
  std::sort(folder_names.begin(), folder_names.end());
  std::vector<ExperimentRun> runs;
  for (const std::string& name : folder_names) {
    const std::filesystem::path record_file = experiment_dir / name / "run.toml";
    if (!std::filesystem::exists(record_file)) continue;
    const ConfigNode record = parse_toml_file(record_file);
    ExperimentRun run{.folder = name, .variant = name, .stages = {}};
    if (const ConfigNode* variant = record.find("variant")) run.variant = variant->as_string();
    const ConfigNode* stages = record.find("stages");
    if (stages == nullptr || !stages->is_array()) continue;
    for (const ConfigNode& stage : stages->items()) {
      const ConfigNode* kind = stage.find("kind");
      const ConfigNode* dir = stage.find("dir");
      if (kind != nullptr && dir != nullptr)
        run.stages.push_back({kind->as_string(), dir->as_string()});
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

}  // namespace dac::glue
