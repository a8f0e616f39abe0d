// SVG dot charts with interval whiskers: categories along x, one offset column of marks per
// series within each category, nice y ticks, a legend to the right and a note at the bottom.
#include "dac/interval_chart.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "dac/summary.hpp"
#include "dac/svg_elements.hpp"

namespace dac {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double at(const std::vector<double>& values, std::size_t index) {
  return index < values.size() ? values[index] : kNaN;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
  double span() const { return hi - lo; }
};

Range value_range(const IntervalChart& chart) {
  Range range;
  for (const IntervalSeries& series : chart.series) {
    for (std::size_t c = 0; c < chart.categories.size(); ++c) {
      if (!std::isfinite(at(series.value, c))) continue;
      for (const auto* values :
           {&series.value, &series.low, &series.high, &series.range_low, &series.range_high})
        range.add(at(*values, c));
    }
  }
  return range;
}

// The marks of one series in one category, centred at x = cx.
std::string marks(const IntervalSeries& series, std::size_t category, double cx,
                  const std::string& colour, const auto& py) {
  std::string svg;
  const double value = at(series.value, category);
  const double range_low = at(series.range_low, category);
  const double range_high = at(series.range_high, category);
  if (std::isfinite(range_low) && std::isfinite(range_high)) {
    const double top = py(std::max(range_low, range_high));
    const double height = std::max(1.0, std::fabs(py(range_low) - py(range_high)));
    svg += "<rect x=\"" + svg::coord(cx - 3) + "\" y=\"" + svg::coord(top) +
           "\" width=\"6\" height=\"" + svg::coord(height) + "\" fill=\"" + colour +
           "\" fill-opacity=\"0.25\"/>\n";
  }
  const double low = at(series.low, category);
  const double high = at(series.high, category);
  if (std::isfinite(low) && std::isfinite(high)) {
    const std::string stroke = " stroke=\"" + colour + "\" stroke-width=\"1.5\"";
    svg += svg::line(cx, py(low), cx, py(high), stroke);
    svg += svg::line(cx - 4, py(low), cx + 4, py(low), stroke);
    svg += svg::line(cx - 4, py(high), cx + 4, py(high), stroke);
  }
  const bool hollow = category < series.hollow.size() && series.hollow[category];
  svg += "<circle cx=\"" + svg::coord(cx) + "\" cy=\"" + svg::coord(py(value)) + "\" r=\"3.5\"" +
         (hollow ? " fill=\"#ffffff\" stroke=\"" + colour + "\" stroke-width=\"1.5\""
                 : " fill=\"" + colour + "\"") +
         "/>\n";
  return svg;
}

}  // namespace

std::string render_interval_svg(const IntervalChart& chart) {
  const std::size_t categories = std::max<std::size_t>(chart.categories.size(), 1);
  const std::size_t series_count = std::max<std::size_t>(chart.series.size(), 1);
  const double slot = std::max(56.0, static_cast<double>(series_count) * 14 + 20);

  double legend_width = 0;
  for (const IntervalSeries& series : chart.series)
    legend_width = std::max(legend_width, svg::text_width(series.label));
  if (legend_width > 0) legend_width += 40;
  double category_width = 0;
  for (const std::string& category : chart.categories)
    category_width = std::max(category_width, svg::text_width(category));
  const bool rotate_labels = category_width > slot - 6;

  Range range = value_range(chart);
  const bool has_data = !range.empty();
  if (has_data) {
    if (range.span() == 0) {
      const double pad = range.lo != 0 ? std::fabs(range.lo) * 0.05 : 1.0;
      range.lo -= pad;
      range.hi += pad;
    }
    const double pad = range.span() * 0.05;
    range.lo -= pad;
    range.hi += pad;
  }
  const std::vector<svg::Tick> ticks =
      has_data ? svg::linear_ticks(range.lo, range.hi) : std::vector<svg::Tick>{};
  double tick_width = 0;
  for (const svg::Tick& tick : ticks)
    tick_width = std::max(tick_width, svg::text_width(tick.label));

  const double top = chart.title.empty() ? 16 : 40;
  const double left = std::max(40.0, tick_width + 14 + (chart.y_label.empty() ? 0 : 22));
  const double label_depth = rotate_labels ? category_width * 0.6 + 14 : 12;
  const double bottom = 22 + label_depth + (chart.note.empty() ? 0 : 22);
  const double plot_width = slot * static_cast<double>(categories);
  const double right = legend_width > 0 ? legend_width + 36 : 20;
  const int width = chart.width > 0 ? chart.width : static_cast<int>(left + plot_width + right);
  const int height = std::max(chart.height, 200);
  const double x0 = left, x1 = width - right, y0 = top, y1 = height - bottom;
  const double step = (x1 - x0) / static_cast<double>(categories);
  auto py = [&](double y) { return y1 - (y - range.lo) / range.span() * (y1 - y0); };

  std::string svg = svg::open_document(width, height);
  if (!chart.title.empty())
    svg +=
        svg::text(width / 2.0, 24, "middle", chart.title, " font-size=\"15\" font-weight=\"bold\"");
  if (!has_data) {
    svg += svg::text(width / 2.0, (top + height) / 2.0, "middle", "no data",
                     " fill=\"#888888\" font-size=\"14\"");
    return svg + "</svg>\n";
  }

  // Grid, category separators, axes and tick labels.
  svg += "<g class=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">\n";
  for (const svg::Tick& tick : ticks) svg += svg::line(x0, py(tick.at), x1, py(tick.at));
  for (std::size_t c = 1; c < categories; ++c)
    svg += svg::line(x0 + step * c, y0, x0 + step * c, y1);
  svg += "</g>\n<g class=\"axes\" stroke=\"#333333\" stroke-width=\"1\">\n";
  svg += svg::line(x0, y1, x1, y1);
  svg += svg::line(x0, y0, x0, y1);
  for (const svg::Tick& tick : ticks) svg += svg::line(x0 - 4, py(tick.at), x0, py(tick.at));
  svg += "</g>\n<g class=\"tick-labels\" fill=\"#333333\">\n";
  for (const svg::Tick& tick : ticks) svg += svg::text(x0 - 7, py(tick.at) + 4, "end", tick.label);
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    const double cx = x0 + step * (static_cast<double>(c) + 0.5);
    if (rotate_labels) {
      const std::string origin = svg::coord(cx) + "," + svg::coord(y1 + 14);
      svg += "<text transform=\"translate(" + origin + ") rotate(-35)\" text-anchor=\"end\">" +
             svg::escape(chart.categories[c]) + "</text>\n";
    } else {
      svg += svg::text(cx, y1 + 17, "middle", chart.categories[c]);
    }
  }
  svg += "</g>\n";

  // The marks: each series offset within its category.
  const double offset_step = std::min(14.0, (step - 16) / static_cast<double>(series_count));
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const std::string colour = svg::palette_colour(s);
    const double offset =
        (static_cast<double>(s) - (static_cast<double>(chart.series.size()) - 1) / 2) * offset_step;
    svg += "<g class=\"series\">\n";
    for (std::size_t c = 0; c < chart.categories.size(); ++c) {
      if (!std::isfinite(at(chart.series[s].value, c))) continue;
      svg += marks(chart.series[s], c, x0 + step * (static_cast<double>(c) + 0.5) + offset, colour,
                   py);
    }
    svg += "</g>\n";
  }

  // Legend to the right of the plot.
  if (legend_width > 0) {
    const double row = 18, bx = x1 + 16, by = y0;
    svg += "<g class=\"legend\">\n";
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const double cy = by + row * (static_cast<double>(s) + 0.5);
      svg += "<circle cx=\"" + svg::coord(bx + 8) + "\" cy=\"" + svg::coord(cy) +
             "\" r=\"4\" fill=\"" + svg::palette_colour(s) + "\"/>\n";
      svg += svg::text(bx + 20, cy + 4, "start", chart.series[s].label);
    }
    svg += "</g>\n";
  }

  // Axis title and note.
  if (!chart.y_label.empty()) {
    const std::string origin = svg::coord(16) + "," + svg::coord((y0 + y1) / 2);
    svg += "<text transform=\"translate(" + origin + ") rotate(-90)\" text-anchor=\"middle\">" +
           svg::escape(chart.y_label) + "</text>\n";
  }
  if (!chart.note.empty())
    svg += svg::text(x0, height - 10, "start", chart.note, " fill=\"#555555\" font-size=\"11\"");
  return svg + "</svg>\n";
}

void write_interval_svg(const std::filesystem::path& path, const IntervalChart& chart) {
  write_file_atomically(path, render_interval_svg(chart));
}

}  // namespace dac
