// WordPiece encoding: greedy longest-match-first over each pre-token, exactly like BERT, with the
// raw byte range of every wordpiece.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dac/kinds/normalizer.hpp"
#include "dac/text/vocab.hpp"

namespace dac::text {

class PieceTrie;

class WordPieceEncoder {
 public:
  struct Encoded {
    std::vector<std::int32_t> ids;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> offsets;  // [begin, end) raw bytes
  };

  // Keeps a reference to `vocab`, which must outlive the encoder.
  explicit WordPieceEncoder(const Vocab& vocab, std::size_t max_input_chars_per_word = 100,
                            std::string continuation = "##");
  ~WordPieceEncoder();
  WordPieceEncoder(WordPieceEncoder&&) noexcept;
  WordPieceEncoder& operator=(WordPieceEncoder&&) noexcept;

  // Appends the wordpieces of `words` to `out`. A word longer than max_input_chars_per_word code
  // points, or one that cannot be covered by vocabulary pieces, becomes one [UNK]. Pieces get
  // their own part of the word's raw range when the word is ASCII and as long as its raw range
  // (then it maps byte for byte); otherwise every piece gets the word's range.
  void encode(const std::vector<PreToken>& words, Encoded& out) const;
  // Normalises and encodes `raw` (no [CLS]/[SEP]).
  Encoded encode_text(const Normalizer& normalizer, std::string_view raw) const;

  const Vocab& vocab() const { return *vocab_; }

 private:
  // Appends the pieces of one word; returns false (appending nothing) when it has no cover.
  bool encode_word(const PreToken& word, bool byte_offsets, Encoded& out) const;

  const Vocab* vocab_;
  std::size_t max_chars_;
  std::unique_ptr<PieceTrie> initial_;       // pieces that start a word
  std::unique_ptr<PieceTrie> continuation_;  // pieces after the first, continuation prefix removed
};

}  // namespace dac::text
