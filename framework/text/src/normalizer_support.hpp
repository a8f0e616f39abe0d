// Pieces shared by the built-in normalisers: ASCII character tables, Unicode character
// properties (through libutf8proc) and the sink that gathers normalised characters into
// pre-tokens with raw byte ranges.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dac/kinds/normalizer.hpp"
#include "dac/text/utf8.hpp"

namespace dac::text::detail {

// --- ASCII ----------------------------------------------------------------------------------

constexpr bool is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// BERT's punctuation among ASCII: 33-47, 58-64, 91-96, 123-126 (every printable non-alnum).
constexpr bool is_bert_ascii_punct(unsigned char c) {
  return c > 32 && c < 127 && !is_ascii_alnum(c);
}

// --- Unicode (code points >= 0x80) ----------------------------------------------------------

// Up to this many code points come out of one character's lowercase + canonical decomposition.
inline constexpr int kMaxExpansion = 8;

// Lowercases `c`, decomposes it canonically (NFD) and lowercases the parts; drops nonspacing
// marks (Mn) so accents are stripped. Returns how many code points were written to `out`.
int lower_decompose_strip(char32_t c, char32_t* out);

bool is_unicode_control(char32_t c);     // general category C* (BERT's _is_control)
bool is_unicode_whitespace(char32_t c);  // Zs, Zl, Zp
bool is_unicode_punct(char32_t c);       // general category P*
bool is_cjk_ideograph(char32_t c);       // the ranges BERT spaces out

// Whether the capital sigma occupying raw[begin, end) lowercases to the final form (ς): a cased
// letter precedes it and none follows (case-ignorable and dropped characters skipped between).
bool is_final_sigma(std::string_view raw, std::size_t begin, std::size_t end);

// --- Pre-token sink -------------------------------------------------------------------------

// Gathers normalised text into pre-tokens. A pre-token stays open while characters of the same
// kind follow; its range runs from its first raw character to its last contributing one.
class PreTokenSink {
 public:
  explicit PreTokenSink(std::vector<PreToken>& out) : out_(out) {}

  // The open pre-token's text to append to (opening one at raw byte `begin` if none of `kind` is
  // open); call end_at with the end of the raw bytes appended.
  std::string& word(std::size_t begin, int kind) {
    if (!open_ || kind != kind_) {
      out_.push_back(PreToken{{}, begin, begin});
      open_ = true;
      kind_ = kind;
    }
    return out_.back().text;
  }
  void end_at(std::size_t end) { out_.back().end = end; }

  void append(std::string_view text, std::size_t begin, std::size_t end, int kind) {
    word(begin, kind) += text;
    end_at(end);
  }
  // A pre-token of its own (e.g. a punctuation character).
  void single(std::string_view text, std::size_t begin, std::size_t end) {
    out_.push_back(PreToken{std::string(text), begin, end});
    open_ = false;
  }
  // Raw bytes up to `end` that normalised to nothing join the open pre-token's range.
  void extend(std::size_t end) {
    if (open_) end_at(end);
  }
  void close() { open_ = false; }

 private:
  std::vector<PreToken>& out_;
  bool open_ = false;
  int kind_ = 0;
};

// The scanning loop both normalisers share: runs of ASCII go to `ascii_step(raw, pos, sink)`, which
// returns the position after what it consumed; any other code point c at [begin, end) goes to
// `unicode_step(raw, c, begin, end, sink)`.
template <class AsciiStep, class UnicodeStep>
std::vector<PreToken> scan_pre_tokens(std::string_view raw, AsciiStep ascii_step,
                                      UnicodeStep unicode_step) {
  std::vector<PreToken> out;
  out.reserve(raw.size() / 6 + 1);
  PreTokenSink sink(out);
  std::size_t pos = 0;
  while (pos < raw.size()) {
    if (static_cast<unsigned char>(raw[pos]) < 0x80) {
      pos = ascii_step(raw, pos, sink);
      continue;
    }
    char32_t c;
    const std::size_t length = decode_utf8(raw, pos, c);
    unicode_step(raw, c, pos, pos + length, sink);
    pos += length;
  }
  return out;
}

}  // namespace dac::text::detail
