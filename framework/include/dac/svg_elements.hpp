// Building blocks of the SVG charts: the palette, text escaping and layout estimates, compact
// coordinates and numbers, nice axis ticks and a few elements.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dac::svg {

// A colour-blind friendly palette (Tableau 10), cycled through by series.
const char* palette_colour(std::size_t index);

// Text with & < > " escaped for SVG text and attribute values.
std::string escape(std::string_view text);
// The rough width in pixels of 12px UTF-8 text (characters, not bytes, are counted).
double text_width(std::string_view text);
// A coordinate with at most one decimal: "12", "12.5".
std::string coord(double value);
// A short label for `value` shown with `resolution` (the tick step): 0.05, 12, 1.2k, 3M, 1e18.
std::string compact_number(double value, double resolution);

struct Tick {
  double at;
  std::string label;
};
// Ticks at multiples of a 1, 2 or 5 × 10^k step inside [lo, hi] (lo < hi): 5–7 of them, or as
// near as those steps allow.
std::vector<Tick> linear_ticks(double lo, double hi);

// The opening <svg> tag with a white background; close with "</svg>\n".
std::string open_document(int width, int height);
// A <text> element; `extra` holds further attributes, starting with a space.
std::string text(double x, double y, std::string_view anchor, std::string_view content,
                 std::string_view extra = "");
// A <line> element (stroke set by the enclosing group or `extra`).
std::string line(double x1, double y1, double x2, double y2, std::string_view extra = "");

}  // namespace dac::svg
