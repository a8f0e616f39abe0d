// SVG dot charts with interval whiskers, for scores compared across models: one dot per category
// and series (a model's score in a table column), its confidence interval as whiskers and,
// optionally, a second range (such as min–max over runs) as a light bar behind it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dac {

// Per category (the vectors are indexed like IntervalChart::categories; shorter vectors and NaN
// entries mean "none there").
struct IntervalSeries {
  std::string label;
  std::vector<double> value;
  std::vector<double> low;  // whiskers
  std::vector<double> high;
  std::vector<double> range_low;  // the light bar
  std::vector<double> range_high;
  std::vector<bool> hollow;  // draws the dot open (e.g. a partial average)
};

struct IntervalChart {
  std::string title;
  std::string y_label;
  std::vector<std::string> categories;
  std::vector<IntervalSeries> series;
  std::string note;  // a line under the legend explaining the marks
  int width = 0;     // 0: sized to the categories and series
  int height = 440;
};

// The chart as an SVG document: categories along x, each series offset within a category, its own
// colour and a legend entry. A chart without a finite value renders a "no data" note.
std::string render_interval_svg(const IntervalChart& chart);
// Writes render_interval_svg(chart) to `path` (atomically).
void write_interval_svg(const std::filesystem::path& path, const IntervalChart& chart);

}  // namespace dac
