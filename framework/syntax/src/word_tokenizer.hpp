// Splitting raw text into tokens (the surface units between spaces and punctuation) and each
// token into its syntactic words, with English-EWT conventions. Internal to dac_syntax.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

namespace dac::syntax::detail {

// A token at bytes [begin, end) of the text; a contraction such as "don't" is one token of
// several words ("do" + "n't"), ending at word_ends[0], word_ends[1], ... (the last is `end`).
struct Token {
  static constexpr std::size_t kMaxWords = 3;
  std::size_t begin = 0, end = 0;
  std::array<std::size_t, kMaxWords> word_ends{};
  std::size_t word_count = 1;
  // The token ends with a period that belongs to it ("Dr.", "U.S.", "etc."); such a period does
  // not end a sentence (where one seems to end, the period is a token of its own).
  bool abbreviation = false;
  // A web address ("http://...", "www...."), an e-mail address, an emoticon (":-)"): a sentence
  // often ends after one.
  bool url = false;
  bool email = false;
  bool emoticon = false;
};

// Every token of `text`, in order, none overlapping and none containing ASCII whitespace. Linear
// in the text size; never throws except for memory.
std::vector<Token> tokenize(std::string_view text);

}  // namespace dac::syntax::detail
