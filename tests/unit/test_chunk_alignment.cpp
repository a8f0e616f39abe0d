// Tests for aligning agreement chunks to wordpieces (dac/text/chunk_alignment.hpp) through the real
// BERT normaliser and WordPiece encoder: clitics, accents, hyphens, punctuation, a wordpiece over
// two words, words without pieces.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dac/syntax/conllu.hpp"
#include "dac/text/chunk_alignment.hpp"
#include "dac/text/normalizers.hpp"
#include "dac/text/wordpiece.hpp"

namespace {

using dac::text::align_chunk;
using dac::text::ByteRange;
using dac::text::Vocab;
using dac::text::word_pieces;
using dac::text::WordPieceEncoder;
using Pieces = std::vector<std::vector<std::uint32_t>>;

// UD tokenisation of the raw text: clitics split ("do" "n't", "John" "'s"), hyphens split.
// U+FFFD is dropped by BERT's normaliser, so its word has no wordpiece.
const std::string kText = "I don't like John's well-known café \xEF\xBF\xBD today!";
const std::vector<std::string> kForms = {"I",    "do", "n't",   "like", "John",         "'s",
                                         "well", "-",  "known", "café", "\xEF\xBF\xBD", "today",
                                         "!"};

dac::Sentence sentence() {
  dac::Sentence sentence;
  sentence.text = kText;
  for (const std::string& form : kForms) sentence.words.push_back({.form = form});
  dac::compute_text_offsets(sentence);
  return sentence;
}

struct Encoded {
  std::vector<std::string> tokens;
  std::vector<ByteRange> offsets;
};

Encoded encode() {
  const Vocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "i",    "don",
                     "'",     "t",     "like",  "john",  "s",      "well", "-",
                     "known", "caf",   "##e",   "to",    "##day",  "!"});
  const dac::text::BertUncasedNormalizer bert;
  const auto encoded = WordPieceEncoder(vocab).encode_text(bert, kText);
  Encoded out;
  for (const std::int32_t id : encoded.ids) out.tokens.push_back(vocab.token(id));
  out.offsets.assign(encoded.offsets.begin(), encoded.offsets.end());
  return out;
}

TEST(ChunkAlignment, EveryWordGetsTheWordpiecesThatOverlapIt) {
  const Encoded encoded = encode();
  ASSERT_EQ(encoded.tokens,
            (std::vector<std::string>{"i", "don", "'", "t", "like", "john", "'", "s", "well", "-",
                                      "known", "caf", "##e", "to", "##day", "!"}));
  const Pieces pieces = word_pieces(sentence(), encoded.offsets);
  EXPECT_EQ(pieces, (Pieces{{0},        // I
                            {1},        // do: inside "don"
                            {1, 2, 3},  // n't: "don" is shared with "do"
                            {4},        // like
                            {5},        // John
                            {6, 7},     // 's
                            {8},        // well
                            {9},        // -
                            {10},       // known
                            {11, 12},   // café: "caf" "##e" (é is two bytes)
                            {},         // U+FFFD: dropped by the normaliser
                            {13, 14},   // today
                            {15}}));    // !
}

TEST(ChunkAlignment, ChunksTakeEveryPieceOfEveryMemberWord) {
  const Pieces pieces = word_pieces(sentence(), encode().offsets);
  // "do n't like": controller "like", target "n't".
  const auto negation = align_chunk({{1, 2, 3}, 3, 2}, 7, pieces);
  ASSERT_TRUE(negation);
  EXPECT_EQ(negation->type, 7);
  EXPECT_EQ(negation->controller, 4u);
  EXPECT_EQ(negation->target, 1u);  // the first piece of "n't" is the shared "don"
  EXPECT_EQ(negation->members, (std::vector<std::uint32_t>{1, 2, 3, 4}));
  // "John 's well - known café": discontiguous members, pieces ascending and unique.
  const auto phrase = align_chunk({{4, 5, 9}, 9, 4}, 0, pieces);
  ASSERT_TRUE(phrase);
  EXPECT_EQ(phrase->controller, 11u);
  EXPECT_EQ(phrase->target, 5u);
  EXPECT_EQ(phrase->members, (std::vector<std::uint32_t>{5, 6, 7, 11, 12}));
  // A member without pieces adds nothing; an anchor without pieces drops the chunk.
  const auto with_empty = align_chunk({{9, 10, 11}, 11, 9}, 0, pieces);
  ASSERT_TRUE(with_empty);
  EXPECT_EQ(with_empty->members, (std::vector<std::uint32_t>{11, 12, 13, 14}));
  EXPECT_FALSE(align_chunk({{9, 10}, 9, 10}, 0, pieces));
  EXPECT_FALSE(align_chunk({{9, 40}, 9, 40}, 0, pieces));
}

TEST(ChunkAlignment, WordsWithoutOffsetsOrOutOfOrderAreHandled) {
  dac::Sentence unknown = sentence();
  unknown.words[3].begin = unknown.words[3].end = std::string::npos;  // "like" without offsets
  std::swap(unknown.words[0], unknown.words[4]);                      // "John" before "I"
  const Pieces pieces = word_pieces(unknown, encode().offsets);
  EXPECT_EQ(pieces[0], (std::vector<std::uint32_t>{5}));  // John
  EXPECT_EQ(pieces[3], (std::vector<std::uint32_t>{}));
  EXPECT_EQ(pieces[4], (std::vector<std::uint32_t>{0}));  // I
  EXPECT_EQ(pieces[9], (std::vector<std::uint32_t>{11, 12}));
  // No wordpieces at all.
  EXPECT_EQ(word_pieces(sentence(), {}), Pieces(kForms.size()));
}

}  // namespace
