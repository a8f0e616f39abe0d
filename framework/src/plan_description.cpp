// The --dry-run listing of an experiment plan.
#include "dac/runner.hpp"
#include "dac/stage_state.hpp"

namespace dac {

namespace {

std::string action_for(const std::string& status, const RunnerOptions& options) {
  if (status == "missing") return "run";
  if (status == "finished") return options.force ? "run again (--force)" : "reuse";
  if (options.force) return "run again (--force)";
  if (options.resume) return "resume";
  return "blocked: unfinished (" + status + "); use --resume or --force";
}

}  // namespace

std::string describe_plan(const ExperimentPlan& plan, const RunnerOptions& options) {
  std::string out = "experiment " + plan.name + " (" + plan.file.string() +
                    "): " + std::to_string(plan.runs.size()) + " run" +
                    (plan.runs.size() == 1 ? "" : "s") + ", runs folder " +
                    plan.experiment_dir.string() + "\n";
  for (const auto& run : plan.runs) {
    out += "\nrun " + run.folder_name + "\n  variant: " + run.variant + "\n";
    if (!run.sweep_point.empty()) {
      out += "  sweep point " + std::to_string(run.sweep_index) + ":";
      for (const auto& [path, value] : run.sweep_point) out += " " + path + "=" + to_json(value);
      out += "\n";
    }
    out += "  seed: " + std::to_string(run.seed) + "\n";
    for (const auto& stage : run.stages) {
      out += "  stage " + stage.name + "  kind=" + stage.kind + "  hash=" + stage.hash;
      if (!stage.inputs.empty()) {
        out += "  inputs=";
        for (std::size_t i = 0; i < stage.inputs.size(); ++i)
          out += (i ? "," : "") + stage.inputs[i];
      }
      out += "  -> " + action_for(stage_status(stage.dir), options) + "\n";
    }
  }
  return out;
}

}  // namespace dac
