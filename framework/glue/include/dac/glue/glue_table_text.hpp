// The GLUE results table as text: Markdown for people (scores with spreads and intervals, run
// counts, differences to the baseline, the published reference rows, a legend and notes) and CSV
// for programs (one row per model and column).
#pragma once

#include <string>

#include "dac/glue/glue_table.hpp"

namespace dac::glue {

// Cells read "87.5 (86.1–88.3) [85.9, 89.0]": the median over runs, min–max over runs, and the
// bootstrap interval of the median; differences read "+1.2 [−0.4, +2.9]"; "–" where a model has
// no runs.
std::string glue_table_markdown(const GlueTable& table);

// Columns: source ("measured" or "published"), model, column, task, split, metric, median, min,
// max, runs, interval_low, interval_high, level, difference, difference_low, difference_high,
// baseline, columns_present, columns_expected (the average only), pretraining_hours,
// pretraining_steps, pretraining_tokens, pretraining_flops, pretraining_device. Numbers in full
// precision, empty cells where a value does not apply or is missing.
std::string glue_table_csv(const GlueTable& table);

}  // namespace dac::glue
