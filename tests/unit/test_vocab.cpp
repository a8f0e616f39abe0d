// Tests for dac::text::Vocab: loading vocab.txt (line endings, errors naming file:line), saving,
// lookups and the special token ids.
#include <gtest/gtest.h>

#include "dac/error.hpp"
#include "dac/text/vocab.hpp"
#include "support/test_support.hpp"

namespace {

using dac::UserError;
using dac::test::contains;
using dac::test::error_of;
using dac::text::Vocab;

const std::string kSpecials = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";

TEST(Vocab, LoadsIdsByLineWithTrailingNewlineAndCrlf) {
  dac::test::TempDir dir;
  dac::test::write_file(dir / "lf.txt", kSpecials + "the\n##s\n");
  dac::test::write_file(dir / "crlf.txt",
                        "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n[MASK]\r\nthe\r\n##s");
  for (const char* name : {"lf.txt", "crlf.txt"}) {
    const Vocab vocab = Vocab::load(dir / name);
    EXPECT_EQ(vocab.size(), 7u) << name;
    EXPECT_EQ(vocab.id("the"), 5) << name;
    EXPECT_EQ(vocab.id("##s"), 6) << name;
    EXPECT_EQ(vocab.id("absent"), -1) << name;
    EXPECT_EQ(vocab.token(6), "##s") << name;
    EXPECT_EQ(vocab.pad(), 0);
    EXPECT_EQ(vocab.unk(), 1);
    EXPECT_EQ(vocab.cls(), 2);
    EXPECT_EQ(vocab.sep(), 3);
    EXPECT_EQ(vocab.mask(), 4);
  }
}

TEST(Vocab, FromTokensSaveAndLoadAgain) {
  const Vocab vocab({"hello", "[MASK]", "[SEP]", "[CLS]", "[UNK]", "[PAD]", "##lo"});
  EXPECT_EQ(vocab.mask(), 1);
  EXPECT_EQ(vocab.pad(), 5);
  dac::test::TempDir dir;
  vocab.save(dir / "vocab.txt");
  EXPECT_EQ(dac::test::read_file(dir / "vocab.txt"),
            "hello\n[MASK]\n[SEP]\n[CLS]\n[UNK]\n[PAD]\n##lo\n");
  const Vocab loaded = Vocab::load(dir / "vocab.txt");
  EXPECT_EQ(loaded.tokens(), vocab.tokens());
  EXPECT_EQ(loaded.id("##lo"), 6);
}

TEST(Vocab, CopiesAndMovesKeepLookupsWorking) {
  Vocab original({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b"});
  Vocab copy = original;
  Vocab moved = std::move(original);
  EXPECT_EQ(copy.id("b"), 6);
  EXPECT_EQ(moved.id("a"), 5);
}

TEST(Vocab, DuplicateTokenNamesBothLines) {
  dac::test::TempDir dir;
  dac::test::write_file(dir / "vocab.txt", kSpecials + "the\ncat\nthe\n");
  const std::string message = error_of<UserError>([&] { Vocab::load(dir / "vocab.txt"); });
  EXPECT_PRED2(contains, message, "vocab.txt:8");
  EXPECT_PRED2(contains, message, "duplicate token 'the'");
  EXPECT_PRED2(contains, message, "line 6");
}

TEST(Vocab, MissingSpecialTokenIsNamed) {
  dac::test::TempDir dir;
  dac::test::write_file(dir / "vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\n");
  const std::string message = error_of<UserError>([&] { Vocab::load(dir / "vocab.txt"); });
  EXPECT_PRED2(contains, message, "vocab.txt");
  EXPECT_PRED2(contains, message, "missing special token [MASK]");
}

TEST(Vocab, EmptyUnreadableAndBlankLineErrors) {
  dac::test::TempDir dir;
  dac::test::write_file(dir / "empty.txt", "");
  EXPECT_PRED2(contains, error_of<UserError>([&] { Vocab::load(dir / "empty.txt"); }),
               "empty.txt:1: the vocabulary file is empty");
  EXPECT_PRED2(contains, error_of<UserError>([&] { Vocab::load(dir / "absent.txt"); }),
               "cannot read vocabulary file");
  dac::test::write_file(dir / "blank.txt", "[PAD]\n\n[UNK]\n");
  EXPECT_PRED2(contains, error_of<UserError>([&] { Vocab::load(dir / "blank.txt"); }),
               "blank.txt:2: empty token");
}

TEST(Vocab, StandardBertVocabulary) {
  const auto data = dac::test::test_data_dir();
  if (!data) GTEST_SKIP() << "real data folder absent (set DAC_TEST_DATA)";
  const Vocab vocab = Vocab::load(*data / "bert_vocab" / "bert-base-uncased-vocab.txt");
  EXPECT_EQ(vocab.size(), 30522u);
  EXPECT_EQ(vocab.pad(), 0);
  EXPECT_EQ(vocab.unk(), 100);
  EXPECT_EQ(vocab.cls(), 101);
  EXPECT_EQ(vocab.sep(), 102);
  EXPECT_EQ(vocab.mask(), 103);
  EXPECT_EQ(vocab.id("the"), 1996);
  EXPECT_EQ(vocab.id("##ing"), 2075);
  EXPECT_EQ(vocab.token(1012), ".");
}

}  // namespace
