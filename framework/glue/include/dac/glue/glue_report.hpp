// The GLUE report of an experiment: its results table, its CSV and its charts, written together.
#pragma once

#include <filesystem>
#include <vector>

#include "dac/glue/glue_table.hpp"

namespace dac::glue {

// Writes glue_table.md, glue_table.csv, glue_scores.svg and one glue_curves_<column>.svg per
// column with curves into `folder` (created when missing), each atomically; returns the paths
// written, in that order.
std::vector<std::filesystem::path> write_glue_report(const std::filesystem::path& folder,
                                                     const std::vector<ModelRuns>& models,
                                                     const GlueTableOptions& options = {});

}  // namespace dac::glue
