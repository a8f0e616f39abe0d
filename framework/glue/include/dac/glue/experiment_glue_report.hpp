// The GLUE table of a whole experiment: the results of every run's glue stages, one row per
// variant (runs of a variant with several pretraining seeds pool into its row), compared against
// the `crammed_bert` variant when there is one. No torch.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dac::glue {

// Reads <experiment_dir>/<run>/run.toml of the given runs (the folder names of the runs just
// executed, so that folders of earlier configurations do not mix in), then the results files of its
// glue stages
// (<stage dir>/runs/<task>/seed-<k>/<split>.results.json), labels them with the run's variant,
// and writes the table and plots into experiment_dir. Returns the Markdown table's path, or
// nothing when no run has GLUE results.
std::optional<std::filesystem::path> write_experiment_glue_report(
    const std::filesystem::path& experiment_dir, std::vector<std::string> run_folder_names);

}  // namespace dac::glue
