// Tests for CoNLL-U reading and writing: byte-for-byte round trips of the real English-EWT files,
// multiword tokens and empty nodes, text offsets, and malformed input.
#include <gtest/gtest.h>

#include <sstream>

#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;
using dac::test::error_of;

// "I don't know." with a multiword token (2-3), an empty node (4.1) and SpaceAfter=No.
constexpr const char* kDontKnow =
    "# sent_id = s1\n"
    "# text = I don't know.\n"
    "1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t4:nsubj\t_\n"
    "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t4:aux\t_\n"
    "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t4:advmod\t_\n"
    "4\tknow\tknow\tVERB\tVB\t_\t0\troot\t0:root\tSpaceAfter=No\n"
    "4.1\tknows\tknow\tVERB\tVB\t_\t_\t_\t4:conj\t_\n"
    "5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t4:punct\t_\n"
    "\n";

// A well-formed two-word sentence, to surround broken ones.
std::string good_sentence(const std::string& id) {
  return "# sent_id = " + id + "\n# text = Dogs bark\n" +
         "1\tDogs\tdog\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n" +
         "2\tbark\tbark\tVERB\tVBP\t_\t0\troot\t_\t_\n\n";
}

class ConlluTest : public ::testing::Test {
 protected:
  // Writes `text` to a file and returns its path.
  fs::path file_with(const std::string& text) {
    const fs::path path = dir_ / "input.conllu";
    dac::test::write_file(path, text);
    return path;
  }

  // The UserError message reading a file holding `text` gives.
  std::string read_error(const std::string& text) {
    const fs::path path = file_with(text);
    return error_of<dac::UserError>([&] { dac::read_conllu_file(path); });
  }

  std::string location(int line) {
    return (dir_ / "input.conllu").string() + ":" + std::to_string(line) + ": ";
  }

  dac::test::TempDir dir_;
};

void expect_round_trip(const std::string& name) {
  const auto data = dac::test::test_data_dir();
  if (!data) GTEST_SKIP() << "real data folder absent (set DAC_TEST_DATA)";
  const fs::path file = *data / "ud_english_ewt" / name;
  if (!fs::exists(file)) GTEST_SKIP() << file << " absent";
  dac::ConlluReader reader(file);
  std::ostringstream written;
  dac::Sentence sentence;
  std::size_t words_without_offsets = 0;
  while (reader.next(sentence)) {
    dac::write_conllu(written, sentence);
    for (const dac::Word& word : sentence.words)
      words_without_offsets += word.begin == std::string::npos;
  }
  const std::string original = dac::test::read_file(file);
  ASSERT_EQ(written.str().size(), original.size());
  EXPECT_TRUE(written.str() == original) << "round trip of " << file << " differs";
  EXPECT_EQ(words_without_offsets, 0u);
}

TEST(ConlluRealData, RoundTripsEwtDevByteForByte) {
  expect_round_trip("en_ewt-ud-dev.conllu");
}

TEST(ConlluRealData, RoundTripsEwtTrainByteForByte) {
  expect_round_trip("en_ewt-ud-train.conllu");
}

TEST_F(ConlluTest, KeepsMultiwordTokensAndEmptyNodesOutsideTheWords) {
  const auto sentences = dac::read_conllu_file(file_with(kDontKnow));
  ASSERT_EQ(sentences.size(), 1u);
  const dac::Sentence& sentence = sentences[0];
  ASSERT_EQ(sentence.words.size(), 5u);
  EXPECT_EQ(sentence.words[1].form, "do");
  EXPECT_EQ(sentence.words[2].form, "n't");
  EXPECT_EQ(sentence.words[4].form, ".");
  EXPECT_EQ(sentence.words[0].head, 3);
  EXPECT_EQ(sentence.words[3].head, -1);
  ASSERT_EQ(sentence.extra_lines.size(), 2u);
  EXPECT_EQ(sentence.extra_lines[0].kind, dac::ExtraLine::Kind::multiword_token);
  EXPECT_EQ(sentence.extra_lines[0].before, 1u);
  EXPECT_EQ(sentence.extra_lines[0].columns[1], "don't");
  EXPECT_EQ(sentence.extra_lines[1].kind, dac::ExtraLine::Kind::empty_node);
  EXPECT_EQ(sentence.extra_lines[1].before, 4u);
  EXPECT_EQ(sentence.comments,
            (std::vector<std::string>{"# sent_id = s1", "# text = I don't know."}));
  EXPECT_EQ(dac::comment_value(sentence, "sent_id"), "s1");
  EXPECT_EQ(dac::to_conllu(sentence), kDontKnow);
}

TEST_F(ConlluTest, ComputesTextOffsetsWithSpaceAfterNo) {
  const dac::Sentence sentence = dac::read_conllu_file(file_with(kDontKnow)).at(0);
  EXPECT_EQ(sentence.text, "I don't know.");
  const std::vector<std::pair<std::size_t, std::size_t>> expected = {
      {0, 1}, {2, 4}, {4, 7}, {8, 12}, {12, 13}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(sentence.words[i].begin, expected[i].first) << "word " << i;
    EXPECT_EQ(sentence.words[i].end, expected[i].second) << "word " << i;
  }
}

TEST_F(ConlluTest, OffsetsUnknownWhenTheFormsAreNotInTheText) {
  std::string text = good_sentence("s1");
  text.replace(text.find("Dogs bark"), 9, "Dogs howl");
  const dac::Sentence sentence = dac::read_conllu_file(file_with(text)).at(0);
  EXPECT_EQ(sentence.words[0].begin, 0u);
  EXPECT_EQ(sentence.words[0].end, 4u);
  EXPECT_EQ(sentence.words[1].begin, std::string::npos);
  EXPECT_EQ(sentence.words[1].end, std::string::npos);
}

TEST_F(ConlluTest, LastSentenceMayLackItsBlankLine) {
  std::string text = good_sentence("s1") + good_sentence("s2");
  text.pop_back();
  const auto sentences = dac::read_conllu_file(file_with(text));
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(dac::comment_value(sentences[1], "sent_id"), "s2");
}

TEST_F(ConlluTest, WrongColumnCount) {
  const std::string error =
      read_error(good_sentence("s1") + "# text = a\n1\ta\ta\tX\tX\t_\t0\troot\n\n");
  EXPECT_PRED2(contains, error,
               location(7) + "wrong column count: expected 10 tab-separated columns, found 8");
}

TEST_F(ConlluTest, BadWordId) {
  EXPECT_PRED2(contains, read_error("1x\ta\ta\tX\tX\t_\t0\troot\t_\t_\n\n"),
               location(1) + "bad word id '1x'");
  EXPECT_PRED2(contains,
               read_error("1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n3\tb\tb\tX\tX\t_\t1\tdep\t_\t_\n\n"),
               location(2) + "word id 3 out of order (expected 2)");
  EXPECT_PRED2(contains, read_error("2-1\ta\t_\t_\t_\t_\t_\t_\t_\t_\n\n"),
               location(1) + "bad multiword token id '2-1'");
  EXPECT_PRED2(contains,
               read_error("1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n3.1\tb\t_\t_\t_\t_\t_\t_\t_\t_\n\n"),
               location(2) + "bad empty node id '3.1'");
}

TEST_F(ConlluTest, BadHead) {
  EXPECT_PRED2(contains, read_error("1\ta\ta\tX\tX\t_\t_\troot\t_\t_\n\n"),
               location(1) + "bad head '_'");
}

TEST_F(ConlluTest, HeadOutOfRange) {
  EXPECT_PRED2(contains,
               read_error("1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n2\tb\tb\tX\tX\t_\t7\tdep\t_\t_\n\n"),
               location(2) + "word 2 'b': head 7 is out of range (the sentence has 2 words)");
}

TEST_F(ConlluTest, TwoRoots) {
  EXPECT_PRED2(contains,
               read_error(good_sentence("s1") + "1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n" +
                          "2\tb\tb\tX\tX\t_\t0\troot\t_\t_\n\n"),
               location(7) + "two roots: words 1 'a' and 2 'b' both have head 0");
}

TEST_F(ConlluTest, CycleNamesItsWords) {
  const std::string error = read_error(
      "1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n2\tb\tb\tX\tX\t_\t3\tdep\t_\t_\n"
      "3\tc\tc\tX\tX\t_\t2\tdep\t_\t_\n\n");
  EXPECT_PRED2(contains, error, location(2) + "cycle in the heads: 2 'b' -> 3 'c' -> 2 'b'");
}

TEST_F(ConlluTest, CommentAfterWordsAndEmptySentence) {
  EXPECT_PRED2(contains, read_error("1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n# late\n\n"),
               location(2) + "comment line after the word lines of a sentence");
  EXPECT_PRED2(contains, read_error("# sent_id = lonely\n\n"),
               location(1) + "sentence without word lines");
}

TEST_F(ConlluTest, SkipMalformedCountsSkippedSentences) {
  const fs::path path = file_with(good_sentence("s1") + "1\ta\ta\tX\tX\t_\t5\troot\t_\t_\n\n" +
                                  "1\ta\n\n" + good_sentence("s4"));
  dac::ConlluReader reader(path, {.skip_malformed = true});
  std::vector<std::string> ids;
  dac::Sentence sentence;
  while (reader.next(sentence)) ids.push_back(dac::comment_value(sentence, "sent_id").value());
  EXPECT_EQ(ids, (std::vector<std::string>{"s1", "s4"}));
  EXPECT_EQ(reader.skipped(), 2u);
}

TEST_F(ConlluTest, MissingFile) {
  EXPECT_PRED2(contains,
               error_of<dac::UserError>([&] { dac::read_conllu_file(dir_ / "absent.conllu"); }),
               "cannot read CoNLL-U file");
}

TEST(ConlluValidate, ChecksTreesBuiltInCode) {
  dac::Sentence sentence;
  sentence.words.resize(2);
  sentence.words[0].form = "a";
  sentence.words[1].form = "b";
  sentence.words[0].head = 1;
  sentence.words[1].head = -1;
  EXPECT_NO_THROW(dac::validate(sentence));
  sentence.words[1].head = 0;
  EXPECT_PRED2(contains, error_of<dac::UserError>([&] { dac::validate(sentence); }),
               "cycle in the heads: 1 'a' -> 2 'b' -> 1 'a'");
  EXPECT_PRED2(contains, error_of<dac::UserError>([&] { dac::validate(dac::Sentence{}); }),
               "sentence without words");
}

TEST(ConlluWrite, FillsTextCommentAndEmptyFields) {
  dac::Sentence sentence;
  sentence.text = "Hi";
  sentence.words.push_back({.form = "Hi", .upos = "INTJ", .deprel = "root", .head = -1});
  EXPECT_EQ(dac::to_conllu(sentence), "# text = Hi\n1\tHi\t_\tINTJ\t_\t_\t0\troot\t_\t_\n\n");
}

}  // namespace
