// The GLUE results as SVG charts: every model's score per table column with its intervals, and
// the fine-tuning curves (dev score per epoch) of every run, one chart per column.
#pragma once

#include <string>
#include <vector>

#include "dac/glue/glue_table.hpp"
#include "dac/interval_chart.hpp"
#include "dac/svg_chart.hpp"

namespace dac::glue {

// One series per model: a dot at the median (the average for the GLUE average, hollow when
// partial), whiskers for the bootstrap interval, a light bar for min–max over runs.
IntervalChart glue_scores_chart(const GlueTable& table);

struct CurveChart {
  std::string column;     // the table column's header
  std::string file_stem;  // "glue_curves_" and the header in lower case: "glue_curves_mnli-m"
  LineChart chart;
};
// One chart per table column (the average aside) whose runs record a curve, in column order; one
// series per run, "<model> seed <fine-tuning seed>", followed by
// "(pretraining seed <seed>)" when it is known.
std::vector<CurveChart> glue_curve_charts(const std::vector<ModelRuns>& models);

}  // namespace dac::glue
