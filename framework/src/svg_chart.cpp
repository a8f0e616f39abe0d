// SVG line charts: nice axis ticks with compact labels, linear or logarithmic y, one coloured
// polyline per series, a legend, a title and axis labels.
#include "dac/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string_view>

#include "dac/summary.hpp"
#include "dac/svg_elements.hpp"

namespace dac {
namespace {

using svg::compact_number;
using svg::coord;
using svg::escape;
using svg::linear_ticks;
using svg::text_width;
using svg::Tick;

struct Point {
  double x, y;  // y in axis space (log10 of the value for a log axis)
};

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  double span() const { return hi - lo; }
};

// Ticks of a log axis spanning [lo, hi] decades: powers of ten, or 1, 2 and 5 × 10^k when few
// decades are shown, or plain linear ticks over a very short span.
std::vector<Tick> log_ticks(double lo, double hi) {
  std::vector<Tick> ticks;
  const int first = static_cast<int>(std::ceil(lo - 1e-9));
  const int last = static_cast<int>(std::floor(hi + 1e-9));
  if (last - first + 1 >= 3) {
    const int stride = (last - first + 1 + 6) / 7;  // at most 7 labelled decades
    for (int k = first; k <= last; ++k) {
      if ((k - first) % stride != 0) continue;
      const double value = std::pow(10.0, k);
      ticks.push_back({static_cast<double>(k), compact_number(value, value)});
    }
    return ticks;
  }
  for (int k = static_cast<int>(std::floor(lo)) - 1; k <= static_cast<int>(std::ceil(hi)); ++k) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double value = m * std::pow(10.0, k);
      const double at = std::log10(value);
      if (at >= lo - 1e-9 && at <= hi + 1e-9) ticks.push_back({at, compact_number(value, value)});
    }
  }
  if (ticks.size() >= 2) return ticks;
  ticks.clear();
  for (const Tick& tick : linear_ticks(std::pow(10.0, lo), std::pow(10.0, hi)))
    if (tick.at > 0) ticks.push_back({std::log10(tick.at), tick.label});
  return ticks;
}

// Widens a degenerate range so that a single value sits in the middle of the axis.
void widen_if_flat(Range& range, double relative, double absolute) {
  if (range.span() > 0) return;
  const double pad = range.lo != 0 ? std::fabs(range.lo) * relative : absolute;
  range.lo -= pad;
  range.hi += pad;
}

}  // namespace

std::string render_svg(const LineChart& chart) {
  const int width = std::max(chart.width, 200);
  const int height = std::max(chart.height, 150);

  // The finite points of each series, y in axis space.
  std::vector<std::vector<Point>> points(chart.series.size());
  Range xs, ys;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const ChartSeries& series = chart.series[s];
    const std::size_t n = std::min(series.x.size(), series.y.size());
    for (std::size_t i = 0; i < n; ++i) {
      const double x = series.x[i];
      double y = series.y[i];
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      if (chart.log_y) {
        if (y <= 0) continue;
        y = std::log10(y);
      }
      points[s].push_back({x, y});
      xs.add(x);
      ys.add(y);
    }
  }

  std::string svg = svg::open_document(width, height);
  const double top = chart.title.empty() ? 16 : 40;
  if (!chart.title.empty())
    svg +=
        svg::text(width / 2.0, 24, "middle", chart.title, " font-size=\"15\" font-weight=\"bold\"");

  if (!(xs.span() >= 0)) {  // no finite point at all
    svg += svg::text(width / 2.0, (top + height) / 2.0, "middle", "no data",
                     " fill=\"#888888\" font-size=\"14\"");
    return svg + "</svg>\n";
  }

  // Axis ranges and ticks.
  widen_if_flat(xs, 0.1, 1.0);
  if (chart.log_y) {
    widen_if_flat(ys, 0.0, 0.5);
    const double pad = ys.span() * 0.04;
    ys.lo -= pad;
    ys.hi += pad;
  } else {
    widen_if_flat(ys, 0.1, 1.0);
    const double pad = ys.span() * 0.04;
    ys.lo = ys.lo >= 0 ? std::max(0.0, ys.lo - pad) : ys.lo - pad;
    ys.hi += pad;
  }
  const std::vector<Tick> x_ticks = linear_ticks(xs.lo, xs.hi);
  const std::vector<Tick> y_ticks =
      chart.log_y ? log_ticks(ys.lo, ys.hi) : linear_ticks(ys.lo, ys.hi);

  // Layout: the plot area leaves room for tick labels and axis titles.
  double label_width = 0;
  for (const Tick& tick : y_ticks) label_width = std::max(label_width, text_width(tick.label));
  const double left = std::max(40.0, label_width + 14 + (chart.y_label.empty() ? 0 : 22));
  const double right = 20;
  const double bottom = chart.x_label.empty() ? 32 : 52;
  const double x0 = left, x1 = width - right, y0 = top, y1 = height - bottom;
  auto px = [&](double x) { return x0 + (x - xs.lo) / xs.span() * (x1 - x0); };
  auto py = [&](double y) { return y1 - (y - ys.lo) / ys.span() * (y1 - y0); };

  // Grid, axes and ticks.
  svg += "<g class=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">\n";
  for (const Tick& tick : y_ticks) svg += svg::line(x0, py(tick.at), x1, py(tick.at));
  for (const Tick& tick : x_ticks) svg += svg::line(px(tick.at), y0, px(tick.at), y1);
  svg += "</g>\n<g class=\"axes\" stroke=\"#333333\" stroke-width=\"1\">\n";
  svg += svg::line(x0, y1, x1, y1);
  svg += svg::line(x0, y0, x0, y1);
  for (const Tick& tick : y_ticks) svg += svg::line(x0 - 4, py(tick.at), x0, py(tick.at));
  for (const Tick& tick : x_ticks) svg += svg::line(px(tick.at), y1, px(tick.at), y1 + 4);
  svg += "</g>\n<g class=\"tick-labels\" fill=\"#333333\">\n";
  for (const Tick& tick : y_ticks) svg += svg::text(x0 - 7, py(tick.at) + 4, "end", tick.label);
  for (const Tick& tick : x_ticks) svg += svg::text(px(tick.at), y1 + 17, "middle", tick.label);
  svg += "</g>\n";

  // Series.
  for (std::size_t s = 0; s < points.size(); ++s) {
    if (points[s].empty()) continue;
    const char* colour = svg::palette_colour(s);
    svg += "<polyline fill=\"none\" stroke=\"" + std::string(colour) +
           "\" stroke-width=\"1.5\" stroke-linejoin=\"round\" points=\"";
    for (std::size_t i = 0; i < points[s].size(); ++i)
      svg += (i ? " " : "") + coord(px(points[s][i].x)) + "," + coord(py(points[s][i].y));
    svg += "\"/>\n";
    if (chart.series[s].markers || points[s].size() == 1) {
      svg += "<g fill=\"" + std::string(colour) + "\">\n";
      for (const Point& p : points[s])
        svg += "<circle cx=\"" + coord(px(p.x)) + "\" cy=\"" + coord(py(p.y)) + "\" r=\"2.5\"/>\n";
      svg += "</g>\n";
    }
  }

  // Legend, top right inside the plot area.
  double legend_text = 0;
  std::size_t legend_rows = 0;
  for (const ChartSeries& series : chart.series) {
    legend_text = std::max(legend_text, text_width(series.label));
    if (!series.label.empty()) ++legend_rows;
  }
  if (legend_rows > 0) {
    const double row = 18, box_w = legend_text + 40,
                 box_h = row * static_cast<double>(legend_rows) + 8;
    const double bx = x1 - box_w - 8, by = y0 + 8;
    svg += "<g class=\"legend\">\n<rect x=\"" + coord(bx) + "\" y=\"" + coord(by) + "\" width=\"" +
           coord(box_w) + "\" height=\"" + coord(box_h) +
           "\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#cccccc\"/>\n";
    std::size_t r = 0;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      if (chart.series[s].label.empty()) continue;
      const double cy = by + 4 + row * (static_cast<double>(r++) + 0.5);
      svg += "<line x1=\"" + coord(bx + 8) + "\" y1=\"" + coord(cy) + "\" x2=\"" + coord(bx + 26) +
             "\" y2=\"" + coord(cy) + "\" stroke=\"" + svg::palette_colour(s) +
             "\" stroke-width=\"2\"/>\n";
      svg += svg::text(bx + 32, cy + 4, "start", chart.series[s].label);
    }
    svg += "</g>\n";
  }

  // Axis titles.
  if (!chart.x_label.empty()) svg += svg::text((x0 + x1) / 2, height - 12, "middle", chart.x_label);
  if (!chart.y_label.empty()) {
    const std::string at = coord(16) + "," + coord((y0 + y1) / 2);
    svg += "<text transform=\"translate(" + at + ") rotate(-90)\" text-anchor=\"middle\">" +
           escape(chart.y_label) + "</text>\n";
  }
  return svg + "</svg>\n";
}

void write_svg(const std::filesystem::path& path, const LineChart& chart) {
  write_file_atomically(path, render_svg(chart));
}

}  // namespace dac
