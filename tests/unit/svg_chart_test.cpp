// Tests of the SVG line charts: structure, legend, escaping, ticks, log axes and degenerate data.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "dac/svg_chart.hpp"
#include "support/test_support.hpp"

namespace {

using dac::ChartSeries;
using dac::LineChart;
using dac::test::contains;

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// The text of each <text> element, in order.
std::vector<std::string> texts(const std::string& svg) {
  std::vector<std::string> out;
  for (std::size_t at = svg.find("<text"); at != std::string::npos;
       at = svg.find("<text", at + 1)) {
    const std::size_t begin = svg.find('>', at) + 1;
    out.push_back(svg.substr(begin, svg.find("</text>", begin) - begin));
  }
  return out;
}

bool has_text(const std::string& svg, const std::string& text) {
  for (const std::string& t : texts(svg))
    if (t == text) return true;
  return false;
}

LineChart loss_chart() {
  LineChart chart;
  chart.title = "Pretraining loss";
  chart.x_label = "step";
  chart.y_label = "loss";
  ChartSeries train{"train", {}, {}, false};
  for (int step = 0; step <= 10000; step += 100) {
    train.x.push_back(step);
    train.y.push_back(2.0 + 8.0 * std::exp(-step / 2000.0));
  }
  ChartSeries validation{
      "validation", {0, 2500, 5000, 7500, 10000}, {9.5, 4.0, 2.9, 2.5, 2.3}, true};
  chart.series = {train, validation};
  return chart;
}

TEST(SvgChart, Structure) {
  const std::string svg = dac::render_svg(loss_chart());
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_PRED2(contains, svg, "xmlns=\"http://www.w3.org/2000/svg\"");
  EXPECT_PRED2(contains, svg, "width=\"720\" height=\"420\"");
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(count(svg, "<polyline"), 2u);
  EXPECT_EQ(count(svg, "<circle"), 5u);  // markers on the validation series only
  EXPECT_TRUE(has_text(svg, "Pretraining loss"));
  EXPECT_TRUE(has_text(svg, "train"));
  EXPECT_TRUE(has_text(svg, "validation"));
  EXPECT_TRUE(has_text(svg, "step"));
  EXPECT_TRUE(has_text(svg, "loss"));
  // Two different colours.
  EXPECT_PRED2(contains, svg, "stroke=\"#4e79a7\"");
  EXPECT_PRED2(contains, svg, "stroke=\"#f28e2b\"");
  EXPECT_EQ(count(svg, "<text"), texts(svg).size());
}

TEST(SvgChart, NiceCompactTicks) {
  const std::string svg = dac::render_svg(loss_chart());
  // x from 0 to 10000 in steps of 2000.
  for (const char* label : {"0", "2k", "4k", "6k", "8k", "10k"})
    EXPECT_TRUE(has_text(svg, label)) << label;
  EXPECT_FALSE(has_text(svg, "1k"));
  EXPECT_FALSE(has_text(svg, "2000"));
}

TEST(SvgChart, TickCountAndLabelsForSmallAndLargeNumbers) {
  LineChart chart;
  chart.series = {{"", {0, 3e6}, {0.01, 0.33}, false}};
  const std::string svg = dac::render_svg(chart);
  for (const char* label : {"0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "1M", "2M", "3M"})
    EXPECT_TRUE(has_text(svg, label)) << label;
  // No legend for unlabelled series: only tick labels, 5 to 8 per axis.
  const std::size_t labels = texts(svg).size();
  EXPECT_GE(labels, 10u);
  EXPECT_LE(labels, 16u);
  EXPECT_EQ(count(svg, "class=\"legend\""), 0u);

  chart.series = {{"", {0, 1500}, {1, 2}, false}};
  const std::string thousands = dac::render_svg(chart);
  EXPECT_TRUE(has_text(thousands, "1.2k") || has_text(thousands, "1.5k"));
}

TEST(SvgChart, EscapesText) {
  LineChart chart = loss_chart();
  chart.title = "Loss <MLM & SOP> \"masked\"";
  chart.series[0].label = "a<b";
  const std::string svg = dac::render_svg(chart);
  EXPECT_PRED2(contains, svg, "Loss &lt;MLM &amp; SOP&gt; &quot;masked&quot;");
  EXPECT_PRED2(contains, svg, "a&lt;b");
  EXPECT_FALSE(contains(svg, "<MLM"));
  EXPECT_FALSE(contains(svg, "a<b"));
}

TEST(SvgChart, LogScaleTicks) {
  LineChart chart;
  chart.log_y = true;
  chart.series = {{"loss", {1, 2, 3, 4}, {1000, 10, 0.5, 0.01}, false}};
  const std::string svg = dac::render_svg(chart);
  for (const char* label : {"0.01", "0.1", "1", "10", "100", "1k"})
    EXPECT_TRUE(has_text(svg, label)) << label;
  EXPECT_FALSE(has_text(svg, "500"));

  // Within one decade: ticks at 1, 2 and 5 times powers of ten.
  chart.series = {{"loss", {0, 1, 2}, {11, 5, 1.9}, false}};
  const std::string narrow = dac::render_svg(chart);
  for (const char* label : {"2", "5", "10"}) EXPECT_TRUE(has_text(narrow, label)) << label;

  // Non-positive values cannot be shown on a log axis and are skipped.
  chart.series = {{"loss", {0, 1, 2}, {10, 0, 1}, false}};
  const std::string skipped = dac::render_svg(chart);
  const std::size_t at = skipped.find("points=\"");
  ASSERT_NE(at, std::string::npos);
  const std::string points = skipped.substr(at + 8, skipped.find('"', at + 8) - at - 8);
  EXPECT_EQ(count(points, ","), 2u);
}

TEST(SvgChart, SkipsNonFinitePoints) {
  LineChart chart;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  chart.series = {{"loss", {0, 1, 2, 3, nan}, {5, nan, inf, 4, 1}, false}};
  const std::string svg = dac::render_svg(chart);
  const std::size_t at = svg.find("points=\"");
  ASSERT_NE(at, std::string::npos);
  const std::string points = svg.substr(at + 8, svg.find('"', at + 8) - at - 8);
  EXPECT_EQ(count(points, ","), 2u);
  EXPECT_FALSE(contains(svg, "nan"));
  EXPECT_FALSE(contains(svg, "inf"));
}

TEST(SvgChart, EmptyChartSaysNoData) {
  LineChart chart;
  chart.title = "Nothing yet";
  const std::string svg = dac::render_svg(chart);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_TRUE(has_text(svg, "no data"));
  EXPECT_TRUE(has_text(svg, "Nothing yet"));
  EXPECT_EQ(count(svg, "<polyline"), 0u);

  const double nan = std::numeric_limits<double>::quiet_NaN();
  chart.series = {{"loss", {1, 2}, {nan, nan}, false}};
  EXPECT_TRUE(has_text(dac::render_svg(chart), "no data"));
}

TEST(SvgChart, SinglePointAndFlatSeries) {
  LineChart chart;
  chart.series = {{"one", {5}, {2}, false}};
  const std::string single = dac::render_svg(chart);
  EXPECT_EQ(count(single, "<polyline"), 1u);
  EXPECT_EQ(count(single, "<circle"), 1u);  // a lone point gets a dot so it shows
  EXPECT_FALSE(contains(single, "nan"));

  chart.series = {{"flat", {0, 1, 2}, {3, 3, 3}, false}};
  const std::string flat = dac::render_svg(chart);
  EXPECT_EQ(count(flat, "<polyline"), 1u);
  EXPECT_FALSE(contains(flat, "nan"));
  EXPECT_TRUE(has_text(flat, "3"));
}

TEST(SvgChart, WritesFile) {
  dac::test::TempDir dir;
  const auto path = dir / "plots" / "loss.svg";
  dac::write_svg(path, loss_chart());
  EXPECT_EQ(dac::test::read_file(path), dac::render_svg(loss_chart()));
}

}  // namespace
