// BERT's uncased BasicTokenizer (clean text, CJK spacing, whitespace split, lowercase, strip
// accents, punctuation split) with raw byte ranges; ASCII takes a table-driven fast path.
#include "dac/text/normalizers.hpp"
#include "dac/text/utf8.hpp"
#include "normalizer_support.hpp"

namespace dac::text {

namespace {

using detail::PreTokenSink;

enum class AsciiClass : unsigned char { kWord, kSpace, kDrop, kPunct };

constexpr std::array<AsciiClass, 128> make_ascii_classes() {
  std::array<AsciiClass, 128> classes{};
  for (int c = 0; c < 128; ++c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
      classes[c] = AsciiClass::kSpace;
    else if (c < 32 || c == 127)
      classes[c] = AsciiClass::kDrop;
    else if (detail::is_bert_ascii_punct(static_cast<unsigned char>(c)))
      classes[c] = AsciiClass::kPunct;
    else
      classes[c] = AsciiClass::kWord;
  }
  return classes;
}

constexpr std::array<AsciiClass, 128> kAsciiClasses = make_ascii_classes();
constexpr int kWordKind = 0;

AsciiClass ascii_class(unsigned char c) {
  return kAsciiClasses[c];
}

// Handles the ASCII character at raw[pos] (a whole run of word characters at once); returns the
// position after what it consumed.
std::size_t ascii_step(std::string_view raw, std::size_t pos, PreTokenSink& sink) {
  const auto c = static_cast<unsigned char>(raw[pos]);
  switch (ascii_class(c)) {
    case AsciiClass::kSpace:
      sink.close();
      return pos + 1;
    case AsciiClass::kDrop:
      sink.extend(pos + 1);
      return pos + 1;
    case AsciiClass::kPunct:
      sink.single(raw.substr(pos, 1), pos, pos + 1);
      return pos + 1;
    case AsciiClass::kWord:
      break;
  }
  std::size_t end = pos + 1;
  while (end < raw.size() && static_cast<unsigned char>(raw[end]) < 0x80 &&
         ascii_class(static_cast<unsigned char>(raw[end])) == AsciiClass::kWord)
    ++end;
  std::string& text = sink.word(pos, kWordKind);
  for (std::size_t i = pos; i < end; ++i) text += detail::ascii_lower(raw[i]);
  sink.end_at(end);
  return end;
}

// Handles the non-ASCII character `c` occupying raw[begin, end).
void unicode_step(std::string_view raw, char32_t c, std::size_t begin, std::size_t end,
                  PreTokenSink& sink) {
  if (c == kReplacementCharacter || detail::is_unicode_control(c)) {
    sink.extend(end);
    return;
  }
  if (detail::is_unicode_whitespace(c)) {
    sink.close();
    return;
  }
  if (detail::is_cjk_ideograph(c)) {
    sink.single(raw.substr(begin, end - begin), begin, end);
    return;
  }
  char32_t parts[detail::kMaxExpansion];
  int count = detail::lower_decompose_strip(c, parts);
  if (c == 0x3A3 && detail::is_final_sigma(raw, begin, end)) parts[0] = 0x3C2;
  if (count == 0) sink.extend(end);
  std::string piece;
  for (int i = 0; i < count; ++i) {
    piece.clear();
    append_utf8(parts[i], piece);
    if (parts[i] < 0x80 ? detail::is_bert_ascii_punct(static_cast<unsigned char>(parts[i]))
                        : detail::is_unicode_punct(parts[i]))
      sink.single(piece, begin, end);
    else
      sink.append(piece, begin, end, kWordKind);
  }
}

}  // namespace

std::vector<PreToken> BertUncasedNormalizer::pre_tokenize(std::string_view raw) const {
  return detail::scan_pre_tokens(
      raw,
      [](std::string_view text, std::size_t pos, PreTokenSink& sink) {
        return ascii_step(text, pos, sink);
      },
      [](std::string_view text, char32_t c, std::size_t begin, std::size_t end,
         PreTokenSink& sink) { unicode_step(text, c, begin, end, sink); });
}

}  // namespace dac::text
