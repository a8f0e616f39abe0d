// Forgiving UTF-8 decoding and the character classes of segmentation.
#include "text_scan.hpp"

namespace dac::syntax::detail {

CodePoint decode_at(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char first = byte(at);
  if (first < 0x80) return {first, 1, true};
  std::size_t size = 0;
  char32_t value = 0;
  if (first >= 0xC2 && first <= 0xDF) {
    size = 2;
    value = first & 0x1F;
  } else if (first >= 0xE0 && first <= 0xEF) {
    size = 3;
    value = first & 0x0F;
  } else if (first >= 0xF0 && first <= 0xF4) {
    size = 4;
    value = first & 0x07;
  } else {
    return {first, 1, false};
  }
  if (at + size > text.size()) return {first, 1, false};
  for (std::size_t i = 1; i < size; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return {first, 1, false};
    value = (value << 6) | (byte(at + i) & 0x3F);
  }
  const bool overlong = (size == 3 && value < 0x800) || (size == 4 && value < 0x10000);
  if (overlong || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
    return {first, 1, false};
  return {value, size, true};
}

bool is_word_char(const CodePoint& cp) {
  if (!cp.valid) return true;
  const char32_t c = cp.value;
  if (c < 0x80)
    return is_ascii_letter(static_cast<char>(c)) || is_ascii_digit(static_cast<char>(c));
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;  // Latin-1 signs and symbols
  if (c == 0xD7 || c == 0xF7) return false;                  // × ÷
  if (c >= 0x2000 && c <= 0x2BFF) return false;              // punctuation, symbols, arrows, shapes
  if (c >= 0x3000 && c <= 0x303F) return false;              // CJK punctuation
  if (c >= 0xFE30 && c <= 0xFE4F) return false;              // CJK compatibility forms
  if (c >= 0xFF00 && c <= 0xFF0F) return false;              // full-width punctuation
  if (c >= 0x1F000 && c <= 0x1FAFF) return false;            // emoji and pictographs
  if (c == 0xFEFF) return false;                             // byte order mark
  return true;
}

bool is_apostrophe(const CodePoint& cp) {
  return cp.valid && (cp.value == '\'' || cp.value == U'\u2019' || cp.value == '`');
}

bool is_opening(const CodePoint& cp) {
  if (!cp.valid) return false;
  switch (cp.value) {
    case '"':
    case '\'':
    case '(':
    case '[':
    case '{':
    case '`':
    case U'\u201C':
    case U'\u2018':
    case U'\u00AB':
      return true;
    default:
      return false;
  }
}

bool is_upper(const CodePoint& cp) {
  if (!cp.valid) return false;
  const char32_t c = cp.value;
  if (c < 0x80) return is_ascii_upper(static_cast<char>(c));
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  if (c >= 0x100 && c <= 0x17F) return c % 2 == 0;
  if (c >= 0x391 && c <= 0x3A9) return true;  // Greek
  if (c >= 0x400 && c <= 0x42F) return true;  // Cyrillic
  return false;
}

}  // namespace dac::syntax::detail
