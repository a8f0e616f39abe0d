// UTF-8 decoding and repair.
#include "dac/text/utf8.hpp"

namespace dac::text {

std::size_t decode_utf8(std::string_view text, std::size_t pos, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  std::size_t length;
  char32_t value;
  char32_t minimum;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    code_point = kReplacementCharacter;
    return 1;
  }
  if (pos + length > text.size()) {
    code_point = kReplacementCharacter;
    return 1;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) {
      code_point = kReplacementCharacter;
      return 1;
    }
    value = (value << 6) | (next & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    code_point = kReplacementCharacter;
    return 1;
  }
  code_point = value;
  return length;
}

void append_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

namespace {

// True when the sequence at `pos` decodes validly (a literal U+FFFD in the input is valid).
bool valid_at(std::string_view text, std::size_t pos, std::size_t& length) {
  char32_t c;
  length = decode_utf8(text, pos, c);
  return c != kReplacementCharacter || length == 3;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    std::size_t length;
    if (!valid_at(text, pos, length)) return false;
    pos += length;
  }
  return true;
}

std::string repair_utf8(std::string_view text, std::size_t* replaced) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t length;
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      out += text[pos++];
    } else if (valid_at(text, pos, length)) {
      out.append(text.substr(pos, length));
      pos += length;
    } else {
      append_utf8(kReplacementCharacter, out);
      if (replaced) ++*replaced;
      ++pos;
    }
  }
  return out;
}

}  // namespace dac::text
