// Tests for CoNLL 2018 scoring: hand-made parses with known scores (a wrong head, a wrong label,
// a subtype-only difference, a token split in two, a missing sentence boundary, multiword
// tokens), the error for different texts, the printed table, and gold against gold on EWT dev.
#include <gtest/gtest.h>

#include <sstream>

#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"
#include "dac/syntax/ud_evaluation.hpp"
#include "support/test_support.hpp"

namespace {

using dac::Sentence;
using dac::syntax::evaluate_ud;
using dac::syntax::UdScore;
using dac::test::contains;

// Sentences from CoNLL-U text; blank lines separate them.
std::vector<Sentence> parse(const std::string& conllu) {
  std::vector<Sentence> sentences;
  std::vector<std::string> lines;
  std::istringstream in(conllu + "\n");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      lines.push_back(line);
    } else if (!lines.empty()) {
      sentences.push_back(dac::parse_conllu_sentence(lines, "test", 1));
      lines.clear();
    }
  }
  return sentences;
}

// A word line: ID FORM UPOS HEAD DEPREL, the other columns "_".
std::string w(int id, const std::string& form, const std::string& upos, int head,
              const std::string& deprel) {
  return std::to_string(id) + "\t" + form + "\t_\t" + upos + "\t_\t_\t" + std::to_string(head) +
         "\t" + deprel + "\t_\t_\n";
}

// "The dog barks loudly today ."
std::string gold_sentence(const std::string& id = "s1") {
  return "# sent_id = " + id + "\n# text = The dog barks loudly today.\n" +
         w(1, "The", "DET", 2, "det") + w(2, "dog", "NOUN", 3, "nsubj") +
         w(3, "barks", "VERB", 0, "root") + w(4, "loudly", "ADV", 3, "advmod") +
         w(5, "today", "NOUN", 3, "obl:tmod") + w(6, ".", "PUNCT", 3, "punct");
}

void expect_score(const UdScore& score, std::uint64_t gold, std::uint64_t system,
                  std::uint64_t correct) {
  EXPECT_EQ(score.gold, gold);
  EXPECT_EQ(score.system, system);
  EXPECT_EQ(score.correct, correct);
}

TEST(UdEval, IdenticalParsesScoreOneHundred) {
  const auto gold = parse(gold_sentence());
  const auto result = evaluate_ud(gold, gold);
  for (const UdScore* score : {&result.tokens, &result.words, &result.upos, &result.uas,
                               &result.las, &result.las_with_subtypes}) {
    expect_score(*score, 6, 6, 6);
    EXPECT_DOUBLE_EQ(score->f1(), 1.0);
  }
  expect_score(result.sentences, 1, 1, 1);
}

TEST(UdEval, OneWrongHeadCostsUasAndLas) {
  const auto system = parse("# text = The dog barks loudly today.\n" +
                            w(1, "The", "DET", 2, "det") + w(2, "dog", "NOUN", 3, "nsubj") +
                            w(3, "barks", "VERB", 0, "root") + w(4, "loudly", "ADV", 5, "advmod") +
                            w(5, "today", "NOUN", 3, "obl:tmod") + w(6, ".", "PUNCT", 3, "punct"));
  const auto result = evaluate_ud(parse(gold_sentence()), system);
  expect_score(result.upos, 6, 6, 6);
  expect_score(result.uas, 6, 6, 5);
  expect_score(result.las, 6, 6, 5);
  EXPECT_NEAR(result.uas.f1(), 5.0 / 6.0, 1e-12);
}

TEST(UdEval, OneWrongLabelCostsLasOnly) {
  const auto system = parse("# text = The dog barks loudly today.\n" +
                            w(1, "The", "DET", 2, "det") + w(2, "dog", "NOUN", 3, "obj") +
                            w(3, "barks", "VERB", 0, "root") + w(4, "loudly", "ADV", 3, "advmod") +
                            w(5, "today", "NOUN", 3, "obl:tmod") + w(6, ".", "PUNCT", 3, "punct"));
  const auto result = evaluate_ud(parse(gold_sentence()), system);
  expect_score(result.uas, 6, 6, 6);
  expect_score(result.las, 6, 6, 5);
  expect_score(result.las_with_subtypes, 6, 6, 5);
}

TEST(UdEval, SubtypeOnlyDifferenceCountsForLasWithSubtypesOnly) {
  const auto system = parse("# text = The dog barks loudly today.\n" +
                            w(1, "The", "DET", 2, "det") + w(2, "dog", "NOUN", 3, "nsubj") +
                            w(3, "barks", "VERB", 0, "root") + w(4, "loudly", "ADV", 3, "advmod") +
                            w(5, "today", "NOUN", 3, "obl") + w(6, ".", "PUNCT", 3, "punct"));
  const auto result = evaluate_ud(parse(gold_sentence()), system);
  expect_score(result.las, 6, 6, 6);
  expect_score(result.las_with_subtypes, 6, 6, 5);
}

TEST(UdEval, SystemThatSplitsAGoldTokenLosesThatTokenAndWord) {
  // "loudly" split into "loud" "ly"; "barks" keeps its dependents, but "loud" is unaligned.
  const auto system =
      parse("# text = The dog barks loudly today.\n" + w(1, "The", "DET", 2, "det") +
            w(2, "dog", "NOUN", 3, "nsubj") + w(3, "barks", "VERB", 0, "root") +
            w(4, "loud", "ADV", 3, "advmod") + w(5, "ly", "X", 4, "goeswith") +
            w(6, "today", "NOUN", 3, "obl:tmod") + w(7, ".", "PUNCT", 3, "punct"));
  const auto result = evaluate_ud(parse(gold_sentence()), system);
  expect_score(result.tokens, 6, 7, 5);
  expect_score(result.words, 6, 7, 5);
  expect_score(result.uas, 6, 7, 5);
  EXPECT_NEAR(result.tokens.precision(), 5.0 / 7.0, 1e-12);
  EXPECT_NEAR(result.tokens.recall(), 5.0 / 6.0, 1e-12);
}

TEST(UdEval, MissingSentenceBoundaryCostsSentencesAndCrossSentenceHeads) {
  const std::string second = "# sent_id = s2\n# text = Cats sleep.\n" +
                             w(1, "Cats", "NOUN", 2, "nsubj") + w(2, "sleep", "VERB", 0, "root") +
                             w(3, ".", "PUNCT", 2, "punct");
  const auto gold = parse(gold_sentence() + "\n" + second + "\n" + second);
  // The system joins the last two sentences; "sleep" (second copy) hangs on the first "sleep".
  const auto system = parse(gold_sentence() + "\n# text = Cats sleep. Cats sleep.\n" +
                            w(1, "Cats", "NOUN", 2, "nsubj") + w(2, "sleep", "VERB", 0, "root") +
                            w(3, ".", "PUNCT", 2, "punct") + w(4, "Cats", "NOUN", 5, "nsubj") +
                            w(5, "sleep", "VERB", 2, "parataxis") + w(6, ".", "PUNCT", 5, "punct"));
  const auto result = evaluate_ud(gold, system);
  expect_score(result.sentences, 3, 2, 1);
  expect_score(result.tokens, 12, 12, 12);
  expect_score(result.uas, 12, 12, 11);
  expect_score(result.las, 12, 12, 11);
}

TEST(UdEval, MultiwordTokensAreOneTokenAndTheirWordsAlignByForm) {
  const std::string gold_text = "# text = I don't know\n" + w(1, "I", "PRON", 4, "nsubj") +
                                "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n" +
                                w(2, "do", "AUX", 4, "aux") + w(3, "n't", "PART", 4, "advmod") +
                                w(4, "know", "VERB", 0, "root");
  const auto gold = parse(gold_text);
  const auto same = evaluate_ud(gold, gold);
  expect_score(same.tokens, 3, 3, 3);
  expect_score(same.las, 4, 4, 4);
  // Two tokens "do" "n't" instead of the multiword token: tokens differ, words still align.
  const auto split = parse("# text = I do n't know\n" + w(1, "I", "PRON", 4, "nsubj") +
                           w(2, "do", "AUX", 4, "aux") + w(3, "n't", "PART", 4, "advmod") +
                           w(4, "know", "VERB", 0, "root"));
  const auto result = evaluate_ud(gold, split);
  expect_score(result.tokens, 3, 4, 2);
  expect_score(result.words, 4, 4, 4);
  expect_score(result.las, 4, 4, 4);
  // One word "don't": it aligns with neither "do" nor "n't".
  const auto whole = parse("# text = I don't know\n" + w(1, "I", "PRON", 3, "nsubj") +
                           w(2, "don't", "AUX", 3, "aux") + w(3, "know", "VERB", 0, "root"));
  const auto merged = evaluate_ud(gold, whole);
  expect_score(merged.tokens, 3, 3, 3);
  expect_score(merged.words, 4, 3, 2);
}

// One sentence from tokens written as in conll18_ud_eval.py's own tests: "abc a b c" is the
// multiword token "abc" of the words "a" "b" "c"; "a" is a one-word token.
Sentence tokens_sentence(const std::vector<std::string>& tokens) {
  Sentence sentence;
  for (const std::string& token : tokens) {
    std::vector<std::string> parts;
    std::istringstream in(token);
    for (std::string part; in >> part;) parts.push_back(part);
    if (parts.size() > 1) {
      dac::ExtraLine line;
      line.before = sentence.words.size();
      line.columns.fill("_");
      line.columns[0] =
          std::to_string(line.before + 1) + "-" + std::to_string(line.before + parts.size() - 1);
      line.columns[1] = parts[0];
      sentence.extra_lines.push_back(line);
      parts.erase(parts.begin());
    }
    for (const std::string& part : parts)
      sentence.words.push_back({.form = part, .head = sentence.words.empty() ? -1 : 0});
  }
  return sentence;
}

// The aligned words of the reference script's alignment tests.
std::uint64_t aligned_words(const std::vector<std::string>& gold,
                            const std::vector<std::string>& system) {
  return evaluate_ud({tokens_sentence(gold)}, {tokens_sentence(system)}).words.correct;
}

TEST(UdEval, AlignsWordsAsTheReferenceScript) {
  EXPECT_EQ(aligned_words({"abc a b c"}, {"a", "b", "c"}), 3u);
  EXPECT_EQ(aligned_words({"a", "bc b c", "d"}, {"a", "b", "c", "d"}), 4u);
  EXPECT_EQ(aligned_words({"abcd a b c d"}, {"ab a b", "cd c d"}), 4u);
  EXPECT_EQ(aligned_words({"abc a b c", "de d e"}, {"a", "bcd b c d", "e"}), 5u);
  EXPECT_EQ(aligned_words({"abcd"}, {"a", "b", "c", "d"}), 0u);
  EXPECT_EQ(aligned_words({"abc", "d"}, {"a", "b", "c", "d"}), 1u);
  EXPECT_EQ(aligned_words({"a", "bc", "d"}, {"a", "b", "c", "d"}), 2u);
  EXPECT_EQ(aligned_words({"a", "bc b c", "d"}, {"a", "b", "cd"}), 2u);
  EXPECT_EQ(aligned_words({"abc a BX c", "def d EX f"}, {"ab a b", "cd c d", "ef e f"}), 4u);
  EXPECT_EQ(aligned_words({"ab a b", "cd bc d"}, {"a", "bc", "d"}), 2u);
  EXPECT_EQ(aligned_words({"a", "bc b c", "d"}, {"ab AX BX", "cd CX a"}), 1u);
}

TEST(UdEval, DifferentTextsAreAUserErrorNamingThePlaceAndSentences) {
  const auto gold = parse(gold_sentence("first") + "\n" + gold_sentence("second"));
  auto system = gold;
  system[1].words[3].form = "loudlx";
  const std::string message =
      dac::test::error_of<dac::UserError>([&] { evaluate_ud(gold, system); });
  EXPECT_PRED2(contains, message, "differ");
  EXPECT_PRED2(contains, message, "character 39");
  EXPECT_PRED2(contains, message, "gold sentence 'second'");
  EXPECT_PRED2(contains, message, "system sentence 'second'");
  EXPECT_PRED2(contains, message, "'ytoday.'");
  EXPECT_PRED2(contains, message, "'xtoday.'");
  // A system that stops early.
  const auto shorter = parse(gold_sentence("first"));
  EXPECT_PRED2(contains, dac::test::error_of<dac::UserError>([&] { evaluate_ud(gold, shorter); }),
               "end of text");
}

TEST(UdEval, WhitespaceInsideFormsIsIgnored) {
  const auto gold = parse("# text = 1 000 dogs\n" + w(1, "1 000", "NUM", 2, "nummod") +
                          w(2, "dogs", "NOUN", 0, "root"));
  const auto system = parse("# text = 1 000 dogs\n" + w(1, "1000", "NUM", 2, "nummod") +
                            w(2, "dogs", "NOUN", 0, "root"));
  expect_score(evaluate_ud(gold, system).las, 2, 2, 2);
}

TEST(UdEval, FormatsAnAlignedTable) {
  const auto gold = parse(gold_sentence());
  const std::string table = dac::syntax::format_ud_evaluation(evaluate_ud(gold, gold));
  EXPECT_PRED2(contains, table, "Metric       | Precision |    Recall |  F1 Score\n");
  EXPECT_PRED2(contains, table, "Tokens       |    100.00 |    100.00 |    100.00\n");
  EXPECT_PRED2(contains, table, "LAS+subtypes |    100.00 |    100.00 |    100.00\n");
  for (const char* metric : {"Sentences", "Words", "UPOS", "UAS", "LAS "})
    EXPECT_PRED2(contains, table, metric);
}

TEST(UdEval, GoldAgainstItselfOnEwtDevIsPerfect) {
  const auto data = dac::test::test_data_dir();
  const auto path = data ? *data / "ud_english_ewt/en_ewt-ud-dev.conllu" : std::filesystem::path();
  if (!data || !std::filesystem::exists(path))
    GTEST_SKIP() << "UD English-EWT dev not found (set DAC_TEST_DATA to the shared data folder)";
  const auto gold = dac::read_conllu_file(path);
  const auto result = evaluate_ud(gold, gold);
  for (const UdScore* score : {&result.tokens, &result.sentences, &result.words, &result.upos,
                               &result.uas, &result.las, &result.las_with_subtypes}) {
    EXPECT_EQ(score->correct, score->gold);
    EXPECT_DOUBLE_EQ(score->f1(), 1.0);
  }
  EXPECT_EQ(result.sentences.gold, 2001u);
}

}  // namespace
