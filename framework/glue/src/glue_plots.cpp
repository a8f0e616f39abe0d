// The GLUE charts: the scores table as a dot chart with interval whiskers, and the fine-tuning
// curves of each column's runs as line charts.
#include "dac/glue/glue_plots.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace dac::glue {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A file-name-safe form of a column header: lower case letters, digits and '-', other runs of
// characters as one '_': "MNLI-m" -> "mnli-m", "pairs (test)" -> "pairs_test".
std::string file_slug(const std::string& header) {
  std::string slug;
  for (unsigned char c : header) {
    if (std::isalnum(c) || c == '-') {
      slug += static_cast<char>(std::tolower(c));
    } else if (!slug.empty() && slug.back() != '_') {
      slug += '_';
    }
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return slug.empty() ? "column" : slug;
}

std::string series_label(const GlueRunResult& run) {
  if (run.pretrain_seed >= 0)
    return fmt::format("{} seed {} (pretraining seed {})", run.model, run.finetune_seed,
                       run.pretrain_seed);
  return fmt::format("{} seed {}", run.model, run.finetune_seed);
}

}  // namespace

IntervalChart glue_scores_chart(const GlueTable& table) {
  IntervalChart chart;
  chart.title = "GLUE dev scores";
  chart.y_label = "score (%)";
  for (const TableColumn& column : table.columns) chart.categories.push_back(column.header);
  const int percent = static_cast<int>(std::lround(table.bootstrap.level * 100));
  chart.note = fmt::format(
      "dot: median over runs (GLUE avg: mean of column medians, hollow when partial); whiskers: "
      "{}% bootstrap interval over dev examples; bar: min–max over runs",
      percent);
  for (const TableRow& row : table.rows) {
    IntervalSeries series;
    series.label = row.label;
    const std::size_t n = table.columns.size();
    series.value.assign(n, kNaN);
    series.low.assign(n, kNaN);
    series.high.assign(n, kNaN);
    series.range_low.assign(n, kNaN);
    series.range_high.assign(n, kNaN);
    series.hollow.assign(n, false);
    for (std::size_t c = 0; c < n; ++c) {
      const TableCell& cell = row.cells[c];
      if (!cell.has_value()) continue;
      series.value[c] = cell.value();
      if (cell.interval) {
        series.low[c] = cell.interval->low;
        series.high[c] = cell.interval->high;
      }
      if (cell.spread && cell.spread->runs > 1) {
        series.range_low[c] = cell.spread->min;
        series.range_high[c] = cell.spread->max;
      }
      series.hollow[c] = cell.average && cell.average->partial();
    }
    chart.series.push_back(std::move(series));
  }
  return chart;
}

std::vector<CurveChart> glue_curve_charts(const std::vector<ModelRuns>& models) {
  std::vector<CurveChart> charts;
  for (const TableColumn& column : table_columns(models)) {
    if (column.kind == TableColumn::Kind::Average) continue;
    CurveChart curves{column.header, "glue_curves_" + file_slug(column.header), {}};
    curves.chart.title = column.header + ": dev " + column.metric + " per epoch";
    curves.chart.x_label = "epoch";
    curves.chart.y_label = "dev " + column.metric + " (%)";
    for (const ModelRuns& model : models) {
      std::vector<const GlueRunResult*> runs;
      for (const GlueRunResult& run : model.runs)
        if (column.matches(run) && !run.curve.empty()) runs.push_back(&run);
      std::sort(runs.begin(), runs.end(), [](const GlueRunResult* a, const GlueRunResult* b) {
        return std::pair(a->pretrain_seed, a->finetune_seed) <
               std::pair(b->pretrain_seed, b->finetune_seed);
      });
      for (const GlueRunResult* run : runs) {
        ChartSeries series;
        series.label = series_label(*run);
        series.markers = true;
        for (const EpochPoint& point : run->curve) {
          series.x.push_back(point.epoch);
          series.y.push_back(point.dev_score);
        }
        curves.chart.series.push_back(std::move(series));
      }
    }
    if (!curves.chart.series.empty()) charts.push_back(std::move(curves));
  }
  return charts;
}

}  // namespace dac::glue
