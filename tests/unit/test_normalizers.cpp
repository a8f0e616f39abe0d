// Tests for the built-in normalisers: BERT uncased (clean text, CJK, accents, punctuation, case)
// and the Crammed recipe, with the raw byte ranges of their pre-tokens.
#include <gtest/gtest.h>

#include "dac/error.hpp"
#include "dac/text/normalizers.hpp"
#include "support/test_support.hpp"

namespace {

using dac::PreToken;
using dac::text::BertUncasedNormalizer;
using dac::text::CrammedNormalizer;
using Strings = std::vector<std::string>;
using Spans = std::vector<std::pair<std::size_t, std::size_t>>;

Strings texts(const dac::Normalizer& normalizer, std::string_view raw) {
  Strings out;
  for (const PreToken& token : normalizer.pre_tokenize(raw)) out.push_back(token.text);
  return out;
}

Spans spans(const dac::Normalizer& normalizer, std::string_view raw) {
  Spans out;
  for (const PreToken& token : normalizer.pre_tokenize(raw))
    out.emplace_back(token.begin, token.end);
  return out;
}

Strings raw_pieces(const dac::Normalizer& normalizer, std::string_view raw) {
  Strings out;
  for (const PreToken& token : normalizer.pre_tokenize(raw))
    out.emplace_back(raw.substr(token.begin, token.end - token.begin));
  return out;
}

const BertUncasedNormalizer bert;
const CrammedNormalizer crammed;

TEST(BertUncasedNormalizer, LowercasesAndSplitsPunctuation) {
  EXPECT_EQ(texts(bert, "Hello, World!  It's $5.00 (approx)."),
            (Strings{"hello", ",", "world", "!", "it", "'", "s", "$", "5", ".", "00", "(", "approx",
                     ")", "."}));
  EXPECT_EQ(raw_pieces(bert, "Hello, World!"), (Strings{"Hello", ",", "World", "!"}));
  EXPECT_EQ(spans(bert, " a\tbc\r\nd "), (Spans{{1, 2}, {3, 5}, {7, 8}}));
  EXPECT_TRUE(texts(bert, "").empty());
  EXPECT_TRUE(texts(bert, " \t\n ").empty());
}

TEST(BertUncasedNormalizer, StripsAccentsKeepingSourceSpans) {
  EXPECT_EQ(texts(bert, "Café NAÏVE Ångström"), (Strings{"cafe", "naive", "angstrom"}));
  EXPECT_EQ(spans(bert, "Café x"), (Spans{{0, 5}, {6, 7}}));
  // A combining accent in the raw text: dropped, but its bytes stay in the word's range.
  EXPECT_EQ(texts(bert, "e\xCC\x81te"), (Strings{"ete"}));
  EXPECT_EQ(spans(bert, "e\xCC\x81te"), (Spans{{0, 5}}));
  // Only canonical decompositions apply: ǅ (compatibility-only) is merely lowercased.
  EXPECT_EQ(texts(bert, "İstanbul ǅ"), (Strings{"istanbul", "ǆ"}));
}

TEST(BertUncasedNormalizer, GreekFinalSigma) {
  EXPECT_EQ(texts(bert, "ΟΔΟΣ ΣΑ ΟΔΟΣ."), (Strings{"οδος", "σα", "οδος", "."}));
}

TEST(BertUncasedNormalizer, CjkIdeographsStandAlone) {
  EXPECT_EQ(texts(bert, "我爱NLP和AI"), (Strings{"我", "爱", "nlp", "和", "ai"}));
  EXPECT_EQ(spans(bert, "我爱NLP"), (Spans{{0, 3}, {3, 6}, {6, 9}}));
  // Kana and Hangul are outside BERT's CJK ranges; NFD strips the voicing mark of が (U+3099)
  // and decomposes Hangul syllables into jamo.
  EXPECT_EQ(texts(bert, "ひらがな 한"),
            (Strings{"ひらかな", "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"}));
}

TEST(BertUncasedNormalizer, DropsControlAndZeroWidthCharacters) {
  // U+200B and U+00AD (format), U+0001 and U+007F (control), U+0000 and U+FFFD: dropped, no split.
  EXPECT_EQ(texts(bert, std::string("a\xE2\x80\x8B"
                                    "b c\x01"
                                    "d e\x7F"
                                    "f g\xC2\xAD"
                                    "h") +
                            '\0' + "i j\xEF\xBF\xBDk"),
            (Strings{"ab", "cd", "ef", "ghi", "jk"}));
  // Unicode spaces split: no-break space, ideographic space, line separator.
  EXPECT_EQ(texts(bert,
                  "a\xC2\xA0"
                  "b\xE3\x80\x80"
                  "c\xE2\x80\xA8"
                  "d"),
            (Strings{"a", "b", "c", "d"}));
}

TEST(BertUncasedNormalizer, UnicodePunctuationAndSymbols) {
  EXPECT_EQ(texts(bert, "“Quoted”—dash…¿Qué? ¥100 ©"),
            (Strings{"“", "quoted", "”", "—", "dash", "…", "¿", "que", "?", "¥100", "©"}));
  // Emoji are symbols (So), not punctuation; the variation selector U+FE0F is a mark (Mn).
  EXPECT_EQ(texts(bert, "I ❤️ 🤗!"), (Strings{"i", "❤", "🤗", "!"}));
  EXPECT_EQ(spans(bert, "I ❤️ 🤗!"), (Spans{{0, 1}, {2, 8}, {9, 13}, {13, 14}}));
}

TEST(BertUncasedNormalizer, InvalidUtf8NeverCrashes) {
  EXPECT_EQ(texts(bert,
                  "ab\xFF"
                  "cd \xC3 e\xE2\x82"),
            (Strings{"abcd", "e"}));
  EXPECT_EQ(spans(bert,
                  "ab\xFF"
                  "cd"),
            (Spans{{0, 5}}));
}

TEST(CrammedNormalizer, QuotesAccentsAndNonAscii) {
  EXPECT_EQ(texts(crammed, "``Hello'' don't café—bar naïve 5$ a_b"),
            (Strings{"\"", "hello", "\"", "don", "'", "t", "cafebar", "naive", "5", "$", "a_b"}));
  EXPECT_EQ(raw_pieces(crammed, "``Hi'' ok"), (Strings{"``", "Hi", "''", "ok"}));
  // Runs of punctuation stay together; non-ASCII is deleted (joining its neighbours).
  EXPECT_EQ(texts(crammed,
                  "Wait...!? 我爱NLP a\xC2\xA0"
                  "b"),
            (Strings{"wait", "...!?", "nlp", "ab"}));
  EXPECT_EQ(texts(crammed, "'''"), (Strings{"\"'"}));
  EXPECT_EQ(texts(crammed, "K\xE2\x84\xAA"), (Strings{"kk"}));  // Kelvin sign: NFD gives K
  EXPECT_EQ(texts(crammed, "\xFF\xFE ok"), (Strings{"ok"}));
}

TEST(Normalizers, AsciiWordsMapToTheirRawText) {
  const std::string raw = "The Quick-brown fox, (jumps) over 3 lazy_dogs!";
  for (const dac::Normalizer* normalizer : {static_cast<const dac::Normalizer*>(&bert),
                                            static_cast<const dac::Normalizer*>(&crammed)}) {
    for (const PreToken& token : normalizer->pre_tokenize(raw)) {
      std::string lowered(raw.substr(token.begin, token.end - token.begin));
      for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_EQ(token.text, lowered);
    }
  }
}

TEST(Normalizers, MakeByName) {
  EXPECT_NE(dynamic_cast<BertUncasedNormalizer*>(dac::text::make_normalizer("bert_uncased").get()),
            nullptr);
  EXPECT_NE(dynamic_cast<CrammedNormalizer*>(dac::text::make_normalizer("crammed").get()), nullptr);
  const std::string message =
      dac::test::error_of<dac::UserError>([] { dac::text::make_normalizer("bert_uncase"); });
  EXPECT_PRED2(dac::test::contains, message, "unknown normalizer 'bert_uncase'");
  EXPECT_PRED2(dac::test::contains, message, "bert_uncased");
}

}  // namespace
