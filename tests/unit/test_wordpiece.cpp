// Tests for dac::text::WordPieceEncoder: BERT's greedy longest-match-first, [UNK] for long or
// uncoverable words, and the raw byte ranges of the pieces.
#include <gtest/gtest.h>

#include "dac/text/normalizers.hpp"
#include "dac/text/wordpiece.hpp"
#include "support/test_support.hpp"

namespace {

using dac::text::Vocab;
using dac::text::WordPieceEncoder;
using Spans = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

Vocab small_vocab() {
  return Vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "want", "##want",
                "##ed",  "wa",    "un",    "runn",  "##ing",  ",",    "a",
                "##a",   "ж",     "##ж",   "caf",   "##e",    "##é"});
}

std::vector<std::string> pieces(const Vocab& vocab, const WordPieceEncoder::Encoded& encoded) {
  std::vector<std::string> out;
  for (const std::int32_t id : encoded.ids) out.push_back(vocab.token(id));
  return out;
}

const dac::text::BertUncasedNormalizer bert;

TEST(WordPiece, GreedyLongestMatchFirst) {
  const Vocab vocab = small_vocab();
  const WordPieceEncoder encoder(vocab);
  const auto encoded = encoder.encode_text(bert, "UNwanted running,");
  EXPECT_EQ(pieces(vocab, encoded),
            (std::vector<std::string>{"un", "##want", "##ed", "runn", "##ing", ","}));
  EXPECT_EQ(encoded.offsets, (Spans{{0, 2}, {2, 6}, {6, 8}, {9, 13}, {13, 16}, {16, 17}}));
}

TEST(WordPiece, UncoverableWordIsOneUnkOverTheWord) {
  const Vocab vocab = small_vocab();
  const WordPieceEncoder encoder(vocab);
  const auto encoded = encoder.encode_text(bert, "wanted unwantedx a");
  EXPECT_EQ(pieces(vocab, encoded), (std::vector<std::string>{"want", "##ed", "[UNK]", "a"}));
  EXPECT_EQ(encoded.offsets, (Spans{{0, 4}, {4, 6}, {7, 16}, {17, 18}}));
}

TEST(WordPiece, AVocabularyOfWholeWordsOnlyEncodesKnownWordsAndUnk) {
  const Vocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat"});
  const WordPieceEncoder encoder(vocab);
  EXPECT_EQ(pieces(vocab, encoder.encode_text(bert, "The cat cats")),
            (std::vector<std::string>{"the", "cat", "[UNK]"}));
}

TEST(WordPiece, WordsOverTheCharacterLimitBecomeUnk) {
  const Vocab vocab = small_vocab();
  const WordPieceEncoder encoder(vocab);
  EXPECT_EQ(encoder.encode_text(bert, std::string(100, 'a')).ids.size(), 100u);
  const auto too_long = encoder.encode_text(bert, "a " + std::string(101, 'a'));
  EXPECT_EQ(too_long.ids, (std::vector<std::int32_t>{vocab.id("a"), vocab.unk()}));
  EXPECT_EQ(too_long.offsets, (Spans{{0, 1}, {2, 103}}));
  // The limit counts characters, not bytes: 60 two-byte characters are fine.
  std::string cyrillic;
  for (int i = 0; i < 60; ++i) cyrillic += "ж";
  EXPECT_EQ(encoder.encode_text(bert, cyrillic).ids.size(), 60u);
  const WordPieceEncoder strict(vocab, 5);
  EXPECT_EQ(strict.encode_text(bert, "aaaaaa").ids, (std::vector<std::int32_t>{vocab.unk()}));
}

TEST(WordPiece, NonAsciiWordsGiveEveryPieceTheWordRange) {
  const Vocab vocab = small_vocab();
  const WordPieceEncoder encoder(vocab);
  // "Café" normalises to "cafe" (4 bytes) from 5 raw bytes: pieces share the word's range.
  const auto cafe = encoder.encode_text(bert, "x Café");
  EXPECT_EQ(pieces(vocab, cafe), (std::vector<std::string>{"[UNK]", "caf", "##e"}));
  EXPECT_EQ(cafe.offsets, (Spans{{0, 1}, {2, 7}, {2, 7}}));
  const auto zh = encoder.encode_text(bert, "жж");
  EXPECT_EQ(pieces(vocab, zh), (std::vector<std::string>{"ж", "##ж"}));
  EXPECT_EQ(zh.offsets, (Spans{{0, 4}, {0, 4}}));
}

TEST(WordPiece, EncodeAppendsAndTakesOtherContinuationPrefixes) {
  const Vocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "play", "@@ing", "##ing"});
  const WordPieceEncoder encoder(vocab, 100, "@@");
  WordPieceEncoder::Encoded encoded;
  encoder.encode(bert.pre_tokenize("playing"), encoded);
  encoder.encode(bert.pre_tokenize("play"), encoded);
  EXPECT_EQ(encoded.ids, (std::vector<std::int32_t>{5, 6, 5}));
  EXPECT_EQ(encoded.offsets, (Spans{{0, 4}, {4, 7}, {0, 4}}));
}

TEST(WordPiece, StandardVocabularyExamples) {
  const auto data = dac::test::test_data_dir();
  if (!data) GTEST_SKIP() << "real data folder absent (set DAC_TEST_DATA)";
  const Vocab vocab = Vocab::load(*data / "bert_vocab" / "bert-base-uncased-vocab.txt");
  const WordPieceEncoder encoder(vocab);
  const std::string raw = "Tokenization isn't unaffable, Mr. Müller! 東京 🤗";
  const auto encoded = encoder.encode_text(bert, raw);
  EXPECT_EQ(
      pieces(vocab, encoded),
      (std::vector<std::string>{"token", "##ization", "isn", "'", "t", "una", "##ffa", "##ble", ",",
                                "mr", ".", "muller", "!", "東", "京", "[UNK]"}));
  // ASCII pieces reproduce their raw text (lowercased).
  for (std::size_t i = 0; i < 13; ++i) {
    if (i == 11) continue;  // "muller" came from "Müller"
    std::string piece = vocab.token(encoded.ids[i]);
    if (piece.starts_with("##")) piece.erase(0, 2);
    const auto [begin, end] = encoded.offsets[i];
    std::string source = raw.substr(begin, end - begin);
    for (char& c : source) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(source, piece) << i;
  }
  EXPECT_EQ(
      raw.substr(encoded.offsets[11].first, encoded.offsets[11].second - encoded.offsets[11].first),
      "Müller");
}

}  // namespace
