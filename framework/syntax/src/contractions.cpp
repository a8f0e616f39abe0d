// Splitting contraction tokens into words with English-EWT conventions.
#include "contractions.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "text_scan.hpp"

namespace dac::syntax::detail {

namespace {

// Contractions written without an apostrophe, lower case, with the byte lengths of their words
// but the last.
struct Unmarked {
  std::string_view form;
  std::array<std::size_t, 2> cuts;  // 0 = unused
};

constexpr std::array kUnmarked = {
    Unmarked{"cannot", {3, 0}},  Unmarked{"dont", {2, 0}},     Unmarked{"wont", {2, 0}},
    Unmarked{"cant", {2, 0}},    Unmarked{"didnt", {3, 0}},    Unmarked{"doesnt", {4, 0}},
    Unmarked{"isnt", {2, 0}},    Unmarked{"wasnt", {3, 0}},    Unmarked{"arent", {3, 0}},
    Unmarked{"arnt", {2, 0}},    Unmarked{"werent", {4, 0}},   Unmarked{"havent", {4, 0}},
    Unmarked{"hasnt", {3, 0}},   Unmarked{"hadnt", {3, 0}},    Unmarked{"couldnt", {5, 0}},
    Unmarked{"wouldnt", {5, 0}}, Unmarked{"shouldnt", {6, 0}}, Unmarked{"aint", {2, 0}},
    Unmarked{"im", {1, 0}},      Unmarked{"ive", {1, 0}},      Unmarked{"youre", {3, 0}},
    Unmarked{"theyre", {4, 0}},  Unmarked{"thats", {4, 0}},    Unmarked{"whats", {4, 0}},
    Unmarked{"hes", {2, 0}},     Unmarked{"theres", {5, 0}},   Unmarked{"heres", {4, 0}},
    Unmarked{"itll", {2, 0}},    Unmarked{"youll", {3, 0}},    Unmarked{"gonna", {3, 0}},
    Unmarked{"wanna", {3, 0}},   Unmarked{"gotta", {3, 0}},    Unmarked{"outta", {3, 0}},
    Unmarked{"dunno", {2, 3}},
};

// Clitics after an apostrophe, lower case: 's 'm 'd 'll 're 've.
constexpr std::array<std::string_view, 6> kClitics = {"s", "m", "d", "ll", "re", "ve"};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

void set_words(Token& token, std::initializer_list<std::size_t> ends) {
  token.word_count = 0;
  for (std::size_t end : ends) token.word_ends[token.word_count++] = end;
}

// The last apostrophe of the token: its byte offset and size, or size 0.
std::pair<std::size_t, std::size_t> last_apostrophe(std::string_view text, const Token& token) {
  std::pair<std::size_t, std::size_t> found{0, 0};
  for (std::size_t at = token.begin; at < token.end;) {
    const CodePoint cp = decode_at(text, at);
    if (is_apostrophe(cp)) found = {at, cp.size};
    at += cp.size;
  }
  return found;
}

}  // namespace

void split_contraction(std::string_view text, Token& token) {
  const std::string_view form = text.substr(token.begin, token.end - token.begin);
  if (form.size() < 2 || form.size() > 32) return;
  const auto [apostrophe, size] = last_apostrophe(text, token);
  if (size > 0) {
    if (apostrophe == token.begin) return;
    const char before = text[apostrophe - 1];  // a letter of any script
    if (!is_ascii_letter(before) && static_cast<unsigned char>(before) < 0x80) return;
    const std::string suffix = lower(text.substr(apostrophe + size, token.end - apostrophe - size));
    if (suffix.empty()) {  // plural possessive "parents'"
      if (ascii_lower(text[apostrophe - 1]) == 's') set_words(token, {apostrophe, token.end});
    } else if (std::find(kClitics.begin(), kClitics.end(), suffix) != kClitics.end()) {
      set_words(token, {apostrophe, token.end});
    } else if (suffix == "t" && ascii_lower(text[apostrophe - 1]) == 'n' &&
               apostrophe - 1 > token.begin) {
      set_words(token, {apostrophe - 1, token.end});
    }
    return;
  }
  const std::string lowered = lower(form);
  for (const Unmarked& entry : kUnmarked) {
    if (entry.form != lowered) continue;
    if (entry.cuts[1] == 0)
      set_words(token, {token.begin + entry.cuts[0], token.end});
    else
      set_words(token, {token.begin + entry.cuts[0], token.begin + entry.cuts[1], token.end});
    return;
  }
}

}  // namespace dac::syntax::detail
