// Locating the words of an externally parsed sentence in the raw document it came from: surface
// tokens (a multiword token by its surface form, any other word by its form) are matched in order,
// each after skipping whitespace, which gives every word its byte offsets in the raw text.
#pragma once

#include <cstddef>
#include <string_view>
#include <variant>

#include "dac/syntax/sentence.hpp"

namespace dac::annotation {

// The first word whose surface token is not where it should be, and that byte position.
struct LocationMismatch {
  std::size_t word = 0;
  std::size_t position = 0;
};

// The first position at or after `cursor` that is not whitespace (ASCII whitespace or U+00A0).
std::size_t skip_whitespace(std::string_view text, std::size_t cursor);

// Sets Word::begin/end of every word of `sentence` to its byte range in `raw`, matching from
// `cursor`. The words of a multiword token are split by their forms when these spell it exactly,
// else each gets the whole token. Returns the position after the sentence's last token, or the
// mismatch.
std::variant<std::size_t, LocationMismatch> locate_sentence(Sentence& sentence,
                                                            std::string_view raw,
                                                            std::size_t cursor);

}  // namespace dac::annotation
