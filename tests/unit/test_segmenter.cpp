// Tests for the English segmenter (English-EWT conventions): clitics and multiword tokens,
// abbreviations, URLs, numbers, punctuation, offsets, UTF-8, sentence splitting, forced cuts on
// long text, arbitrary bytes; and the raw text rebuilt from a treebank's "# text" lines.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "dac/syntax/conllu.hpp"
#include "dac/syntax/raw_text.hpp"
#include "dac/syntax/segmenter.hpp"

namespace {

using dac::Sentence;
using dac::syntax::segment;
using dac::syntax::SegmenterOptions;
using Strings = std::vector<std::string>;

// The words of every sentence, in order.
Strings words(const std::vector<Sentence>& sentences) {
  Strings out;
  for (const Sentence& sentence : sentences)
    for (const auto& word : sentence.words) out.push_back(word.form);
  return out;
}

Strings words(std::string_view text) {
  return words(segment(text));
}

// The surface tokens of every sentence: multiword tokens instead of their words.
Strings tokens(std::string_view text) {
  Strings out;
  for (const Sentence& sentence : segment(text)) {
    auto extra = sentence.extra_lines.begin();
    for (std::size_t i = 0; i < sentence.words.size(); ++i) {
      if (extra != sentence.extra_lines.end() && extra->before == i) {
        out.push_back(extra->columns[1]);
        i += std::stoul(extra->columns[0].substr(extra->columns[0].find('-') + 1)) -
             std::stoul(extra->columns[0]);
        ++extra;
        continue;
      }
      out.push_back(sentence.words[i].form);
    }
  }
  return out;
}

Strings sentence_texts(std::string_view text, const SegmenterOptions& options = {}) {
  Strings out;
  for (const Sentence& sentence : segment(text, options)) out.push_back(sentence.text);
  return out;
}

// Offsets are the exact slices, increasing and inside the text; each sentence text is the slice
// from its first word to its last.
void expect_exact_slices(std::string_view text, const std::vector<Sentence>& sentences) {
  std::size_t previous_end = 0;
  for (const Sentence& sentence : sentences) {
    ASSERT_FALSE(sentence.words.empty());
    EXPECT_EQ(sentence.text, text.substr(sentence.words.front().begin,
                                         sentence.words.back().end - sentence.words.front().begin));
    for (const auto& word : sentence.words) {
      ASSERT_LE(previous_end, word.begin);
      ASSERT_LT(word.begin, word.end);
      ASSERT_LE(word.end, text.size());
      EXPECT_EQ(word.form, text.substr(word.begin, word.end - word.begin));
      EXPECT_EQ(word.head, -1);
      previous_end = word.end;
    }
  }
}

TEST(Segmenter, SplitsCliticsIntoMultiwordTokens) {
  EXPECT_EQ(words("I don't think John's car can't, won't or cannot go."),
            (Strings{"I", "do", "n't", "think", "John", "'s", "car", "ca", "n't", ",", "wo", "n't",
                     "or", "can", "not", "go", "."}));
  EXPECT_EQ(words("I'm sure they're gonna say we'll, you've and he'd."),
            (Strings{"I", "'m", "sure", "they", "'re", "gon", "na", "say", "we", "'ll", ",", "you",
                     "'ve", "and", "he", "'d", "."}));
  EXPECT_EQ(tokens("I don't know"), (Strings{"I", "don't", "know"}));
  const auto sentences = segment("Don't go");
  ASSERT_EQ(sentences.size(), 1u);
  ASSERT_EQ(sentences[0].extra_lines.size(), 1u);
  const auto& line = sentences[0].extra_lines[0];
  EXPECT_EQ(line.kind, dac::ExtraLine::Kind::multiword_token);
  EXPECT_EQ(line.before, 0u);
  EXPECT_EQ(line.columns[0], "1-2");
  EXPECT_EQ(line.columns[1], "Don't");
}

TEST(Segmenter, KeepsNamesWithApostrophesAndPluralPossessives) {
  EXPECT_EQ(words("O'Brien visited the parents' house in '72."),
            (Strings{"O'Brien", "visited", "the", "parents", "'", "house", "in", "'72", "."}));
}

TEST(Segmenter, KeepsAbbreviationsAndInitials) {
  EXPECT_EQ(
      tokens("Dr. Smith met Mr. J. Jones in the U.S. at 10 a.m., e.g. apples, pears etc. "
             "and more."),
      (Strings{"Dr.",  "Smith", "met",  "Mr.",    "J.", "Jones", "in",   "the", "U.S.", "at", "10",
               "a.m.", ",",     "e.g.", "apples", ",",  "pears", "etc.", "and", "more", "."}));
  EXPECT_EQ(sentence_texts("Dr. Smith met Mr. J. Jones in the U.S. yesterday."),
            (Strings{"Dr. Smith met Mr. J. Jones in the U.S. yesterday."}));
}

TEST(Segmenter, AbbreviationAtTheEndOfASentenceGivesUpItsPeriod) {
  EXPECT_EQ(tokens("He works for Acme Inc. The firm grows."),
            (Strings{"He", "works", "for", "Acme", "Inc", ".", "The", "firm", "grows", "."}));
  EXPECT_EQ(sentence_texts("He works for Acme Inc. The firm grows."),
            (Strings{"He works for Acme Inc.", "The firm grows."}));
}

TEST(Segmenter, KeepsUrlsEmailAddressesAndFileNamesWhole) {
  EXPECT_EQ(tokens("See http://www.example.com/a?b=1. Mail john.doe@example.com (or "
                   "report-2001.xls) now."),
            (Strings{"See", "http://www.example.com/a?b=1", ".", "Mail", "john.doe@example.com",
                     "(", "or", "report-2001.xls", ")", "now", "."}));
}

TEST(Segmenter, SplitsNumbersAsEwtDoes) {
  EXPECT_EQ(tokens("It costs $50, 3.5% of 1,000 at 10:30 on 11/28/2000, call 713-853-3989 at "
                   "5pm for 1969-1970."),
            (Strings{"It",    "costs", "$",     "50",  ",",          "3.5", "%",    "of",
                     "1,000", "at",    "10:30", "on",  "11/28/2000", ",",   "call", "713-853-3989",
                     "at",    "5",     "pm",    "for", "1969",       "-",   "1970", "."}));
}

TEST(Segmenter, SplitsHyphensExceptAfterCommonPrefixes) {
  EXPECT_EQ(
      tokens("a 15-year follow-up by e-mail, non-stop"),
      (Strings{"a", "15", "-", "year", "follow", "-", "up", "by", "e-mail", ",", "non-stop"}));
}

TEST(Segmenter, KeepsRepeatedPunctuationAndEmoticonsTogether) {
  EXPECT_EQ(
      tokens("Wow!!! Really... -- yes?! ok :) <<File>>"),
      (Strings{"Wow", "!!!", "Really", "...", "--", "yes", "?!", "ok", ":)", "<<", "File", ">>"}));
}

TEST(Segmenter, SplitsQuotesAndBrackets) {
  EXPECT_EQ(tokens("He said \"no\" (twice) [sic] {x} ''maybe''."),
            (Strings{"He", "said", "\"", "no", "\"", "(", "twice", ")", "[", "sic", "]", "{", "x",
                     "}", "''", "maybe", "''", "."}));
}

TEST(Segmenter, OffsetsAreTheExactSlicesOfTheInput) {
  const std::string text =
      "  First line  here.\nSecond:\tdon't   stop!\n\n\"Quoted,\" she said (twice).  ";
  const auto sentences = segment(text);
  expect_exact_slices(text, sentences);
  EXPECT_EQ(sentence_texts(text), (Strings{"First line  here.", "Second:\tdon't   stop!",
                                           "\"Quoted,\" she said (twice)."}));
}

TEST(Segmenter, TreatsMultibyteLettersAsLetters) {
  const std::string text = "Café naïve “quoted” résumé’s end — Москва.";
  const auto sentences = segment(text);
  expect_exact_slices(text, sentences);
  EXPECT_EQ(words(sentences), (Strings{"Café", "naïve", "“", "quoted", "”", "résumé", "’s", "end",
                                       "—", "Москва", "."}));
}

TEST(Segmenter, SplitsSentencesAtTerminalPunctuation) {
  EXPECT_EQ(sentence_texts("This is one. This is two? Yes! ok then. \"Quoted.\" (Aside.) 3 left."),
            (Strings{"This is one.", "This is two?", "Yes!", "ok then.", "\"Quoted.\"", "(Aside.)",
                     "3 left."}));
  // Not after titles, initials, inside numbers, or before a comma.
  EXPECT_EQ(sentence_texts("Dr. Who and J. R. Smith paid 3.50 dollars. Wait... and?, he said"),
            (Strings{"Dr. Who and J. R. Smith paid 3.50 dollars.", "Wait... and?, he said"}));
}

TEST(Segmenter, SplitsSentencesAtBlankLinesAndOptionallyAtLineBreaks) {
  const std::string text = "no punctuation here\nstill the same\n\nnext paragraph";
  EXPECT_EQ(sentence_texts(text),
            (Strings{"no punctuation here\nstill the same", "next paragraph"}));
  EXPECT_EQ(sentence_texts(text, {.newline_ends_sentence = true}),
            (Strings{"no punctuation here", "still the same", "next paragraph"}));
  EXPECT_EQ(sentence_texts(text, {.blank_line_ends_sentence = false}),
            (Strings{"no punctuation here\nstill the same\n\nnext paragraph"}));
}

TEST(Segmenter, CutsLongTextWithoutBoundariesSafely) {
  std::string text;
  Strings expected;
  for (int i = 0; text.size() < 20000; ++i) {
    expected.push_back("word" + std::to_string(i % 100));
    text += expected.back() + (i % 7 == 6 ? ", " : " ");
    if (i % 7 == 6) expected.push_back(",");
  }
  const auto start = std::chrono::steady_clock::now();
  const auto sentences = segment(text, {.max_sentence_words = 50});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_GT(sentences.size(), 50u);
  for (const Sentence& sentence : sentences) EXPECT_LE(sentence.words.size(), 50u);
  EXPECT_EQ(words(sentences), expected);
  expect_exact_slices(text, sentences);
}

TEST(Segmenter, HandlesVeryLongWordsInLinearTime) {
  for (const std::string& unit : {std::string("a"), std::string("a."), std::string("1,"),
                                  std::string("x-"), std::string("'s")}) {
    std::string text;
    while (text.size() < 100000) text += unit;
    const auto start = std::chrono::steady_clock::now();
    const auto sentences = segment(text, {.max_sentence_words = 50});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10)) << unit;
    expect_exact_slices(text, sentences);
    for (const Sentence& sentence : sentences) EXPECT_LE(sentence.words.size(), 50u) << unit;
  }
}

TEST(Segmenter, NeverThrowsOnArbitraryBytes) {
  std::mt19937 random(20240607);
  const std::string alphabet =
      std::string("aZ09 .,!?'\"-:/@$()\n\t\xC3\xA9\xE2\x80\x99\xFF\x80") + std::string(1, '\0');
  for (int round = 0; round < 300; ++round) {
    std::string text(random() % 400, '\0');
    for (char& c : text)
      c = round % 2 ? static_cast<char>(random() % 256) : alphabet[random() % alphabet.size()];
    std::vector<Sentence> sentences;
    ASSERT_NO_THROW(sentences = segment(text, {.max_sentence_words = 1 + random() % 20}));
    expect_exact_slices(text, sentences);
  }
  EXPECT_TRUE(segment("").empty());
  EXPECT_TRUE(segment(" \n\t ").empty());
}

TEST(SegmentRawText, RebuildsDocumentsAndParagraphsFromTextComments) {
  const auto sentence = [](std::vector<std::string> comments, std::string form) {
    Sentence out;
    out.comments = std::move(comments);
    out.words.push_back({.form = std::move(form)});
    return out;
  };
  const std::vector<Sentence> treebank = {
      sentence({"# newdoc id = d1", "# newpar", "# text = One."}, "One."),
      sentence({"# text = Two."}, "Two."),
      sentence({"# newpar id = p2", "# text = Three."}, "Three."),
      sentence({"# newdoc", "# text = Four."}, "Four."), sentence({}, "Five")};
  const auto documents = dac::syntax::raw_documents(treebank);
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0].id, "d1");
  EXPECT_EQ(documents[0].text, "One. Two.\n\nThree.");
  EXPECT_EQ(documents[1].id, "");
  EXPECT_EQ(documents[1].text, "Four. Five");
}

}  // namespace
