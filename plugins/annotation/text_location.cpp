// Locating externally parsed sentences in their raw document.
#include "text_location.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace dac::annotation {

namespace {

// The surface token that starts at word `first`: its text and how many words it holds.
struct Surface {
  std::string_view text;
  std::size_t words = 1;
};

// The word range "n-m" of a multiword token id, as a count of words (0 when malformed).
std::size_t multiword_count(std::string_view id) {
  const std::size_t dash = id.find('-');
  if (dash == std::string_view::npos) return 0;
  int first = 0, last = 0;
  const auto a = std::from_chars(id.data(), id.data() + dash, first);
  const auto b = std::from_chars(id.data() + dash + 1, id.data() + id.size(), last);
  if (a.ec != std::errc() || b.ec != std::errc() || last < first) return 0;
  return static_cast<std::size_t>(last - first + 1);
}

}  // namespace

std::size_t skip_whitespace(std::string_view text, std::size_t cursor) {
  while (cursor < text.size()) {
    const auto c = static_cast<unsigned char>(text[cursor]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++cursor;
    } else if (c == 0xC2 && cursor + 1 < text.size() &&
               static_cast<unsigned char>(text[cursor + 1]) == 0xA0) {
      cursor += 2;
    } else {
      break;
    }
  }
  return cursor;
}

std::variant<std::size_t, LocationMismatch> locate_sentence(Sentence& sentence,
                                                            std::string_view raw,
                                                            std::size_t cursor) {
  auto extra = sentence.extra_lines.begin();
  for (std::size_t i = 0; i < sentence.words.size();) {
    Surface surface{sentence.words[i].form, 1};
    for (; extra != sentence.extra_lines.end() && extra->before <= i; ++extra) {
      if (extra->before != i || extra->kind != ExtraLine::Kind::multiword_token) continue;
      if (const std::size_t count = multiword_count(extra->columns[0]); count > 0)
        surface = {extra->columns[1], std::min(count, sentence.words.size() - i)};
    }
    cursor = skip_whitespace(raw, cursor);
    if (surface.text.empty() || raw.substr(cursor, surface.text.size()) != surface.text)
      return LocationMismatch{i, cursor};
    std::string spelled;
    for (std::size_t w = i; w < i + surface.words; ++w) spelled += sentence.words[w].form;
    const bool split = spelled == surface.text;
    std::size_t begin = cursor;
    for (std::size_t w = i; w < i + surface.words; ++w) {
      Word& word = sentence.words[w];
      word.begin = begin;
      word.end = split ? begin + word.form.size() : cursor + surface.text.size();
      if (split) begin = word.end;
    }
    cursor += surface.text.size();
    i += surface.words;
  }
  return cursor;
}

}  // namespace dac::annotation
