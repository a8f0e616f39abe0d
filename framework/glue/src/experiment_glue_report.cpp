// Gathering the glue stages' results of an experiment's runs into one table.
#include "dac/glue/experiment_glue_report.hpp"

#include <algorithm>

#include "dac/config.hpp"
#include "dac/glue/experiment_runs.hpp"
#include "dac/glue/glue_report.hpp"

namespace dac::glue {

namespace fs = std::filesystem;

namespace {

// Every results file under a glue stage's folder, in a stable order.
std::vector<fs::path> results_files(const fs::path& stage_dir) {
  std::vector<fs::path> files;
  const fs::path runs = stage_dir / "runs";
  if (!fs::is_directory(runs)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(runs))
    if (entry.is_regular_file() && entry.path().filename().string().ends_with(".results.json"))
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::optional<fs::path> write_experiment_glue_report(const fs::path& experiment_dir,
                                                     std::vector<std::string> run_folder_names) {
  std::vector<GlueRunResult> runs;
  for (const ExperimentRun& experiment_run : read_experiment_runs(experiment_dir, run_folder_names))
    for (const RunStage& stage : experiment_run.stages) {
      if (stage.kind != "glue") continue;
      for (const fs::path& file : results_files(stage.dir)) {
        GlueRunResult run = read_glue_run_result(file);
        run.model = experiment_run.variant;
        runs.push_back(std::move(run));
      }
    }
  if (runs.empty()) return std::nullopt;
  std::vector<ModelRuns> models = group_runs_by_model(runs);
  GlueTableOptions options;
  for (const ModelRuns& model : models)
    if (model.label == "crammed_bert") options.baseline = model.label;
  return write_glue_report(experiment_dir, models, options).front();
}

}  // namespace dac::glue
