// The runs of an experiment as their run.toml records them: variant and stages (kind and output
// folder), for the reports that gather the stages' results across runs. No torch.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dac::glue {

struct RunStage {
  std::string kind;
  std::filesystem::path dir;
};

struct ExperimentRun {
  std::string folder;   // the run folder's name
  std::string variant;  // its variant (the folder name when run.toml names none)
  std::vector<RunStage> stages;
};

// The runs among `folder_names` (folders of experiment_dir, taken in sorted order) that have a
// run.toml, with their stages in run order.
std::vector<ExperimentRun> read_experiment_runs(const std::filesystem::path& experiment_dir,
                                                std::vector<std::string> folder_names);

}  // namespace dac::glue
