// Draws the MLM loss against tokens seen: one line per logging interval, dots for validation.
#include "loss_plot.hpp"

#include "dac/svg_chart.hpp"

namespace dac::plugins {

namespace {

ChartSeries series(std::string label, const std::vector<train::CurvePoint>& curve, bool markers) {
  ChartSeries out;
  out.label = std::move(label);
  out.markers = markers;
  for (const train::CurvePoint& point : curve) {
    out.x.push_back(static_cast<double>(point.tokens));
    out.y.push_back(point.loss);
  }
  return out;
}

}  // namespace

void write_loss_plot(const std::filesystem::path& path, const train::PretrainOutcome& outcome,
                     const std::string& title) {
  LineChart chart;
  chart.title = title;
  chart.x_label = "tokens";
  chart.y_label = "MLM loss";
  chart.series.push_back(series("train", outcome.train_curve, false));
  if (!outcome.validation_curve.empty())
    chart.series.push_back(series("validation", outcome.validation_curve, true));
  write_svg(path, chart);
}

}  // namespace dac::plugins
