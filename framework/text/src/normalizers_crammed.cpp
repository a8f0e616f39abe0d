// The Crammed BERT normaliser (`` and '' to ", NFD, lowercase, strip accents, non-ASCII deleted)
// followed by HF's Whitespace pre-tokenizer (\w+|[^\w\s]+), with raw byte ranges.
#include "dac/text/normalizers.hpp"
#include "dac/text/utf8.hpp"
#include "normalizer_support.hpp"

namespace dac::text {

namespace {

using detail::PreTokenSink;

// Pre-token kinds: runs of \w and runs of other non-space characters.
enum Kind : int { kWord = 0, kOther = 1, kSpace = 2 };

constexpr int ascii_kind(unsigned char c) {
  if (c == ' ' || (c >= '\t' && c <= '\r')) return kSpace;
  return detail::is_ascii_alnum(c) || c == '_' ? kWord : kOther;
}

// Adds the normalised ASCII character `c` that came from raw[begin, end).
void add_ascii(char c, std::size_t begin, std::size_t end, PreTokenSink& sink) {
  const int kind = ascii_kind(static_cast<unsigned char>(c));
  if (kind == kSpace) {
    sink.close();
    return;
  }
  sink.word(begin, kind) += detail::ascii_lower(c);
  sink.end_at(end);
}

// Handles the ASCII character at raw[pos] (a whole run of word characters at once); returns the
// position after what it consumed.
std::size_t ascii_step(std::string_view raw, std::size_t pos, PreTokenSink& sink) {
  const char c = raw[pos];
  if ((c == '`' || c == '\'') && pos + 1 < raw.size() && raw[pos + 1] == c) {
    add_ascii('"', pos, pos + 2, sink);
    return pos + 2;
  }
  if (ascii_kind(static_cast<unsigned char>(c)) != kWord) {
    add_ascii(c, pos, pos + 1, sink);
    return pos + 1;
  }
  std::size_t end = pos + 1;
  while (end < raw.size() && static_cast<unsigned char>(raw[end]) < 0x80 &&
         ascii_kind(static_cast<unsigned char>(raw[end])) == kWord)
    ++end;
  std::string& text = sink.word(pos, kWord);
  for (std::size_t i = pos; i < end; ++i) text += detail::ascii_lower(raw[i]);
  sink.end_at(end);
  return end;
}

// Handles the non-ASCII character `c` occupying raw[begin, end): only the ASCII characters of its
// decomposition survive.
void unicode_step(char32_t c, std::size_t begin, std::size_t end, PreTokenSink& sink) {
  char32_t parts[detail::kMaxExpansion];
  const int count = c == kReplacementCharacter ? 0 : detail::lower_decompose_strip(c, parts);
  bool kept = false;
  for (int i = 0; i < count; ++i) {
    if (parts[i] >= 0x80) continue;
    add_ascii(static_cast<char>(parts[i]), begin, end, sink);
    kept = true;
  }
  if (!kept) sink.extend(end);
}

}  // namespace

std::vector<PreToken> CrammedNormalizer::pre_tokenize(std::string_view raw) const {
  return detail::scan_pre_tokens(
      raw,
      [](std::string_view text, std::size_t pos, PreTokenSink& sink) {
        return ascii_step(text, pos, sink);
      },
      [](std::string_view, char32_t c, std::size_t begin, std::size_t end, PreTokenSink& sink) {
        unicode_step(c, begin, end, sink);
      });
}

}  // namespace dac::text
