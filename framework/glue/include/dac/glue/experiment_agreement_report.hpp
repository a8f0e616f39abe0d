// The agreement side of an experiment's comparison: per variant, the final gate value and
// projection norm of each agreement type (from its pretrain stage's result, for DACBERT encoders),
// the attention from targets to controllers (attention_study stage) and the minimal-pair probing
// accuracy per type (probe stage). No torch.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dac::glue {

// Reads <experiment_dir>/<run>/run.toml of the given runs and the results of their pretrain,
// attention_study and probe stages, and writes agreement_report.md and agreement_report.csv into
// experiment_dir (one row per run, labelled with its variant). Returns the Markdown file's path, or
// nothing when no run has gates or probing results.
std::optional<std::filesystem::path> write_experiment_agreement_report(
    const std::filesystem::path& experiment_dir, std::vector<std::string> run_folder_names);

}  // namespace dac::glue
