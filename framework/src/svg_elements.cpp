// Building blocks of the SVG charts: palette, escaping, number formats, ticks and elements.
#include "dac/svg_elements.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>

namespace dac::svg {
namespace {

constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
constexpr double kCharWidth = 7.0;  // rough width of a 12px character

void strip_trailing_zeros(std::string& text) {
  if (text.find('.') == std::string::npos) return;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
}

}  // namespace

const char* palette_colour(std::size_t index) {
  return kPalette[index % std::size(kPalette)];
}

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

double text_width(std::string_view text) {
  std::size_t chars = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++chars;
  return static_cast<double>(chars) * kCharWidth;
}

std::string coord(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  std::string text = buffer;
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  if (text == "-0") text = "0";
  return text;
}

std::string compact_number(double value, double resolution) {
  if (value == 0) return "0";
  const double magnitude = std::fabs(value);
  char buffer[64];
  if (magnitude >= 1e15 || magnitude < 1e-4) {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    std::string text = buffer;
    const std::size_t e = text.find('e');
    if (e == std::string::npos) return text;
    std::string mantissa = text.substr(0, e);
    strip_trailing_zeros(mantissa);
    return mantissa + "e" + std::to_string(std::stoi(text.substr(e + 1)));
  }
  struct Suffix {
    double scale;
    const char* name;
  };
  static constexpr Suffix kSuffixes[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  double scale = 1;
  const char* suffix = "";
  for (const Suffix& s : kSuffixes) {
    if (magnitude >= s.scale) {
      scale = s.scale;
      suffix = s.name;
      break;
    }
  }
  const double step = std::fabs(resolution) / scale;
  int digits = 0;
  if (step > 0 && step < 1)
    digits = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 6);
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value / scale);
  std::string text = buffer;
  strip_trailing_zeros(text);
  return text + suffix;
}

std::vector<Tick> linear_ticks(double lo, double hi) {
  const double span = hi - lo;
  const int top = static_cast<int>(std::floor(std::log10(span)));
  double best_step = 0;
  double best_score = std::numeric_limits<double>::infinity();
  for (int k = top - 2; k <= top + 1; ++k) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double step = m * std::pow(10.0, k);
      const double count = std::floor(hi / step + 1e-9) - std::ceil(lo / step - 1e-9) + 1;
      // Centred on 6.5 so that 6 and 7 ticks rank alike, and 8 ahead of 4.
      const double score = std::fabs(count - 6.5);
      if (score <= best_score) {  // ties go to the larger step
        best_score = score;
        best_step = step;
      }
    }
  }
  std::vector<Tick> ticks;
  const auto first = static_cast<long long>(std::ceil(lo / best_step - 1e-9));
  const auto last = static_cast<long long>(std::floor(hi / best_step + 1e-9));
  for (long long i = first; i <= last; ++i) {
    double value = static_cast<double>(i) * best_step;
    if (std::fabs(value) < best_step * 1e-9) value = 0;
    ticks.push_back({value, compact_number(value, best_step)});
  }
  return ticks;
}

std::string open_document(int width, int height) {
  const std::string w = std::to_string(width), h = std::to_string(height);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
         "\" viewBox=\"0 0 " + w + " " + h +
         "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
         "<rect x=\"0\" y=\"0\" width=\"" +
         w + "\" height=\"" + h + "\" fill=\"#ffffff\"/>\n";
}

std::string text(double x, double y, std::string_view anchor, std::string_view content,
                 std::string_view extra) {
  return "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" text-anchor=\"" +
         std::string(anchor) + "\"" + std::string(extra) + ">" + escape(content) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, std::string_view extra) {
  return "<line x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) + "\" y2=\"" +
         coord(y2) + "\"" + std::string(extra) + "/>\n";
}

}  // namespace dac::svg
