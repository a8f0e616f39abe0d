// Tests of WordPiece training: word counting, the exact vocabulary of a small corpus (specials,
// alphabet, merge order and ties), limits, determinism, agreement with a naive BPE, and that the
// tokens make a valid Vocab.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "dac/text/utf8.hpp"
#include "dac/text/vocab.hpp"
#include "dac/text/wordpiece_trainer.hpp"
#include "support/test_support.hpp"

namespace {

using dac::text::train_wordpiece;
using dac::text::WordCounter;
using dac::text::WordPieceTrainerOptions;
using Tokens = std::vector<std::string>;

const Tokens kSpecials{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

Tokens concat(Tokens a, const Tokens& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

WordCounter counter_of(const std::map<std::string, std::uint64_t>& counts) {
  WordCounter counter;
  for (const auto& [word, count] : counts) counter.add(word, count);
  return counter;
}

// hug ×10, pug ×5, pun ×12, bun ×4, hugs ×5.
WordCounter hug_corpus() {
  return counter_of({{"hug", 10}, {"pug", 5}, {"pun", 12}, {"bun", 4}, {"hugs", 5}});
}

const Tokens kHugAlphabet{"b",   "g",   "h",   "n",   "p",   "s",   "u",
                          "##b", "##g", "##h", "##n", "##p", "##s", "##u"};

// Simple pre-tokenisation: lowercase ASCII, then runs of word bytes (letters, digits, '_', any
// non-ASCII byte) and runs of other non-space bytes.
int byte_class(unsigned char c) {
  if (c >= 0x80 || std::isalnum(c) || c == '_') return 1;
  return std::isspace(c) ? 0 : 2;
}

void count_text(std::string_view text, WordCounter& counter) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t begin = 0; begin < lower.size();) {
    const int kind = byte_class(static_cast<unsigned char>(lower[begin]));
    std::size_t end = begin + 1;
    while (end < lower.size() && byte_class(static_cast<unsigned char>(lower[end])) == kind) ++end;
    if (kind != 0) counter.add(std::string_view(lower).substr(begin, end - begin));
    begin = end;
  }
}

// Pseudo-random lines of words built from a few syllables, with punctuation and accents.
std::vector<std::string> synthetic_lines(std::size_t count) {
  const std::vector<std::string> syllables{"an", "ber", "t",  "ing", "s",  "ed", "re", "o",
                                           "qu", "é",   "na", "ïv",  "th", "e",  "x",  "ly"};
  const std::vector<std::string> punctuation{".", ",", "!?", "--"};
  std::uint64_t state = 12345;
  const auto next = [&](std::uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  std::vector<std::string> lines(count);
  for (std::string& line : lines) {
    for (std::uint64_t w = 0, words = 3 + next(10); w < words; ++w) {
      for (std::uint64_t s = 0, n = 1 + next(2) + next(3); s < n; ++s) {
        line += syllables[next(next(2) ? 6 : syllables.size())];
      }
      line += next(5) == 0 ? punctuation[next(punctuation.size())] + " " : " ";
    }
    if (next(3) == 0)
      line[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(line[0])));
  }
  return lines;
}

WordCounter count_lines(const std::vector<std::string>& lines, unsigned threads) {
  return dac::text::count_words(lines.size(), threads, [&](std::size_t i, WordCounter& counter) {
    count_text(lines[i], counter);
  });
}

// The code points of `word` as UTF-8 strings.
Tokens characters(std::string_view word) {
  Tokens out;
  char32_t c;
  for (std::size_t pos = 0; pos < word.size();) {
    const std::size_t length = dac::text::decode_utf8(word, pos, c);
    out.emplace_back(word.substr(pos, length));
    pos += length;
  }
  return out;
}

// Naive BPE with the same rules: recounts every pair before each merge.
Tokens naive_wordpiece(const WordCounter& counter, const WordPieceTrainerOptions& options) {
  std::map<std::string, std::uint64_t> char_counts;
  for (const auto& [word, count] : counter.counts()) {
    for (const std::string& c : characters(word)) char_counts[c] += count;
  }
  Tokens tokens = options.specials;
  Tokens continuations;
  for (const auto& [c, count] : char_counts) {
    if (count < options.min_frequency) continue;
    tokens.push_back(c);
    continuations.push_back("##" + c);
  }
  tokens = concat(tokens, continuations);
  std::vector<std::pair<Tokens, std::uint64_t>> words;
  for (const auto& [word, count] : counter.counts()) {
    Tokens symbols = characters(word);
    for (std::size_t i = 1; i < symbols.size(); ++i) symbols[i] = "##" + symbols[i];
    words.emplace_back(symbols, count);
  }
  while (tokens.size() < options.vocab_size) {
    std::map<std::pair<std::string, std::string>, std::uint64_t> pairs;
    for (const auto& [symbols, count] : words) {
      for (std::size_t i = 0; i + 1 < symbols.size(); ++i)
        pairs[{symbols[i], symbols[i + 1]}] += count;
    }
    auto best = pairs.begin();  // map order = the tie-break order
    for (auto it = pairs.begin(); it != pairs.end(); ++it) {
      if (it->second > best->second) best = it;
    }
    if (best == pairs.end() || best->second < options.min_frequency) break;
    const auto [left, right] = best->first;
    const std::string merged = left + right.substr(2);
    if (std::find(tokens.begin(), tokens.end(), merged) == tokens.end()) tokens.push_back(merged);
    for (auto& [symbols, count] : words) {
      Tokens out;
      for (std::size_t i = 0; i < symbols.size(); ++i) {
        const bool match = i + 1 < symbols.size() && symbols[i] == left && symbols[i + 1] == right;
        out.push_back(match ? merged : symbols[i]);
        i += match;
      }
      symbols = out;
    }
  }
  return tokens;
}

TEST(WordCounter, AddsMergesAndCounts) {
  WordCounter a;
  a.add("the");
  a.add("the", 2);
  a.add("");
  a.add("cat");
  WordCounter b;
  b.add("the");
  b.add("dog", 4);
  a.merge(std::move(b));
  EXPECT_EQ(a.distinct(), 3u);
  EXPECT_EQ(a.total(), 9u);
  EXPECT_EQ(a.count("the"), 4u);
  EXPECT_EQ(a.count("dog"), 4u);
  EXPECT_EQ(a.count("bird"), 0u);
  EXPECT_EQ(b.distinct(), 0u);
  EXPECT_EQ(b.total(), 0u);
}

TEST(WordCounter, CountWordsRethrowsAnItemsException) {
  const auto count_item = [](std::size_t i, WordCounter& counter) {
    if (i == 7) throw std::runtime_error("unreadable item 7");
    counter.add("word");
  };
  for (const unsigned threads : {1u, 2u}) {
    EXPECT_EQ(dac::test::error_of<std::runtime_error>(
                  [&] { dac::text::count_words(20, threads, count_item); }),
              "unreadable item 7");
  }
}

TEST(WordPieceTrainer, ExactVocabularyOfSmallCorpus) {
  const Tokens merges{"##ug", "##un", "hug", "pun", "hugs", "pug", "bun"};
  EXPECT_EQ(train_wordpiece(hug_corpus()), concat(concat(kSpecials, kHugAlphabet), merges));
}

TEST(WordPieceTrainer, TiesGoToThePairWhoseTokensComeFirst) {
  // Every pair is seen 3 times: (a, ##b) < (a, ##c) < (b, ##a).
  const Tokens tokens =
      train_wordpiece(counter_of({{"ac", 3}, {"ab", 3}, {"ba", 3}}), {.vocab_size = 14});
  EXPECT_EQ(Tokens(tokens.begin() + 11, tokens.end()), (Tokens{"ab", "ac", "ba"}));
}

TEST(WordPieceTrainer, StopsAtVocabSize) {
  const Tokens tokens = train_wordpiece(hug_corpus(), {.vocab_size = 22});
  EXPECT_EQ(tokens, concat(concat(kSpecials, kHugAlphabet), {"##ug", "##un", "hug"}));
}

TEST(WordPieceTrainer, RespectsMinFrequency) {
  // b is seen 4 times: not in the alphabet, and "bun" (4) is never merged; "##un" still counts
  // the "un" of "bun".
  const Tokens tokens = train_wordpiece(hug_corpus(), {.min_frequency = 5});
  const Tokens alphabet{"g", "h", "n", "p", "s", "u", "##g", "##h", "##n", "##p", "##s", "##u"};
  EXPECT_EQ(tokens,
            concat(concat(kSpecials, alphabet), {"##ug", "##un", "hug", "pun", "hugs", "pug"}));
}

TEST(WordPieceTrainer, LimitsTheAlphabetToTheMostFrequentCharacters) {
  // u 36, g 20, p 17, n 16, h 15, …
  const Tokens tokens = train_wordpiece(hug_corpus(), {.vocab_size = 11, .limit_alphabet = 3});
  EXPECT_EQ(tokens, concat(kSpecials, {"g", "p", "u", "##g", "##p", "##u"}));
}

TEST(WordPieceTrainer, CharactersAreCodePoints) {
  const Tokens tokens = train_wordpiece(counter_of({{"café", 3}, {"é", 2}}), {.vocab_size = 13});
  EXPECT_EQ(tokens, concat(kSpecials, {"a", "c", "f", "é", "##a", "##c", "##f", "##é"}));
}

TEST(WordPieceTrainer, CustomSpecialsAndContinuation) {
  const Tokens tokens =
      train_wordpiece(counter_of({{"ab", 2}}), {.specials = {"<pad>"}, .continuation = "@@"});
  EXPECT_EQ(tokens, (Tokens{"<pad>", "a", "b", "@@a", "@@b", "ab"}));
}

TEST(WordPieceTrainer, ReportsProgress) {
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  train_wordpiece(hug_corpus(), {},
                  [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), std::make_pair(std::size_t{7}, std::size_t{32768 - 19}));
}

TEST(WordPieceTrainer, SameVocabularyWithOneOrTwoCountingThreads) {
  const std::vector<std::string> lines = synthetic_lines(3000);
  const WordCounter one = count_lines(lines, 1);
  const WordCounter two = count_lines(lines, 2);
  EXPECT_EQ(one.counts(), two.counts());
  EXPECT_EQ(train_wordpiece(one, {.vocab_size = 400}), train_wordpiece(two, {.vocab_size = 400}));
}

TEST(WordPieceTrainer, AgreesWithNaiveBpe) {
  const WordCounter words = count_lines(synthetic_lines(500), 2);
  for (const std::size_t vocab_size : {60, 300, 100000}) {
    const WordPieceTrainerOptions options{.vocab_size = vocab_size};
    EXPECT_EQ(train_wordpiece(words, options), naive_wordpiece(words, options)) << vocab_size;
  }
}

TEST(WordPieceTrainer, TokensAreDistinctAndBuiltFromEarlierTokens) {
  const Tokens tokens = train_wordpiece(count_lines(synthetic_lines(2000), 2), {.vocab_size = 500});
  ASSERT_EQ(tokens.size(), 500u);
  std::set<std::string> earlier(kSpecials.begin(), kSpecials.end());
  for (std::size_t i = kSpecials.size(); i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    EXPECT_TRUE(dac::text::is_valid_utf8(token)) << token;
    const std::size_t start = token.starts_with("##") ? 2 : 0;
    const bool is_character = characters(token.substr(start)).size() == 1;
    bool is_concatenation = false;
    for (std::size_t cut = start + 1; cut < token.size(); ++cut) {
      is_concatenation |=
          earlier.count(token.substr(0, cut)) && earlier.count("##" + token.substr(cut));
    }
    EXPECT_TRUE(is_character || is_concatenation) << token;
    EXPECT_TRUE(earlier.insert(token).second) << "duplicate " << token;
  }
}

TEST(WordPieceTrainer, TrainedTokensMakeAVocabThatSavesAndLoads) {
  const dac::text::Vocab vocab(train_wordpiece(hug_corpus()));
  EXPECT_EQ(vocab.pad(), 0);
  EXPECT_EQ(vocab.mask(), 4);
  dac::test::TempDir dir;
  vocab.save(dir / "vocab.txt");
  EXPECT_EQ(dac::text::Vocab::load(dir / "vocab.txt").tokens(), vocab.tokens());
}

}  // namespace
