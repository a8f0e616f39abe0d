// Rule-based English segmentation with Universal Dependencies (English-EWT) conventions: raw text
// -> sentences -> words, each word with its byte offsets in the raw text. Clitics such as "n't",
// "'s", "'re" are split off; punctuation is split; URLs, e-mail addresses, numbers and common
// abbreviations stay whole. No torch.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "dac/syntax/sentence.hpp"

namespace dac::syntax {

struct SegmenterOptions {
  // A sentence is cut after this many words even without a boundary, so text without sentence
  // punctuation (lists, logs, thousands of characters of run-on text) stays parseable. A cut
  // never splits a multiword token; 0 counts as 1.
  std::size_t max_sentence_words = 150;
  // A line break followed by another (an empty line) always ends a sentence.
  bool blank_line_ends_sentence = true;
  // Every line break ends a sentence (for one-sentence-per-line input).
  bool newline_ends_sentence = false;
};

// Splits `text` into sentences. Each Sentence has `text` = its slice of the input, words with
// `form` = the exact bytes [begin, end) of the input (begin/end are offsets into `text` as given,
// not into the sentence), a multiword token in `extra_lines` for each contraction split into
// words ("don't" = "do" + "n't", columns ID "2-3", FORM "don't", the others "_"), and every other
// field empty (head -1, no comments). Never throws on any byte input; invalid UTF-8 bytes are kept
// inside words. Linear in the size of the text.
std::vector<Sentence> segment(std::string_view text, const SegmenterOptions& options = {});

}  // namespace dac::syntax
