// Character classes for segmentation: a forgiving UTF-8 decoder (invalid bytes are one-byte
// letters) and the letter / digit / space / punctuation tests the tokenizer and splitter share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace dac::syntax::detail {

struct CodePoint {
  char32_t value = 0;
  std::size_t size = 1;  // bytes it takes in the text (1 for an invalid byte)
  bool valid = true;
};

// The code point starting at text[at] (at < text.size()). Invalid or truncated sequences decode
// as one byte with valid = false.
CodePoint decode_at(std::string_view text, std::size_t at);

inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_ascii_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
inline bool is_ascii_lower(char c) {
  return c >= 'a' && c <= 'z';
}
inline bool is_ascii_letter(char c) {
  return is_ascii_upper(c) || is_ascii_lower(c);
}
inline char ascii_lower(char c) {
  return is_ascii_upper(c) ? static_cast<char>(c + 32) : c;
}

// Letters and digits of any script; invalid bytes count as letters so they stay inside words.
bool is_word_char(const CodePoint& cp);
// Apostrophes: ' ’ `.
bool is_apostrophe(const CodePoint& cp);
// Opening quotes and brackets, which may start a sentence: " ' “ ‘ « ( [ {.
bool is_opening(const CodePoint& cp);
// Upper-case letters (ASCII, Latin-1, Latin Extended-A even code points, Greek, Cyrillic).
bool is_upper(const CodePoint& cp);

}  // namespace dac::syntax::detail
