// Splitting a contraction token into its syntactic words as English-EWT does: "don't" -> "do"
// "n't", "John's" -> "John" "'s", "parents'" -> "parents" "'", "cannot" -> "can" "not", "gonna"
// -> "gon" "na". Internal to dac_syntax.
#pragma once

#include <string_view>

#include "word_tokenizer.hpp"

namespace dac::syntax::detail {

// Sets token.word_ends / word_count when `text`[token.begin, token.end) is a contraction.
void split_contraction(std::string_view text, Token& token);

}  // namespace dac::syntax::detail
