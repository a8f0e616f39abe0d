// Small self-contained SVG line charts for run reports (loss curves, fine-tuning curves).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dac {

struct ChartSeries {
  std::string label;
  std::vector<double> x;
  std::vector<double> y;  // same length as x; non-finite points are skipped
  bool markers = false;   // draw a dot at each point (for sparse series such as validation loss)
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ChartSeries> series;
  bool log_y = false;
  int width = 720;
  int height = 420;
};

// The chart as an SVG document: axes with rounded tick labels, one coloured line per series,
// a legend. An empty chart renders a "no data" note.
std::string render_svg(const LineChart& chart);
// Writes render_svg(chart) to `path` (atomically).
void write_svg(const std::filesystem::path& path, const LineChart& chart);

}  // namespace dac
