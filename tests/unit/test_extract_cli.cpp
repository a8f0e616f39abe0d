// Tests for `dacrun extract`: running an agreement extractor over a CoNLL-U file, its JSON lines
// and summary, extractor options, and usage errors.
#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;

const std::string kTestPlugin = DAC_TEST_PLUGIN_DIR "/good/dac_test_stages.so";

// Two sentences: "the dog barks" (one det) and "a cat saw the bird" (two).
constexpr const char* kTreebank =
    "# sent_id = s1\n"
    "# text = the dog barks\n"
    "1\tthe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tdog\tdog\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3\tbarks\tbark\tVERB\tVBZ\t_\t0\troot\t_\t_\n"
    "\n"
    "# sent_id = s2\n"
    "# text = a cat saw the bird\n"
    "1\ta\ta\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tcat\tcat\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3\tsaw\tsee\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_\n"
    "5\tbird\tbird\tNOUN\tNN\t_\t3\tobj\t_\t_\n"
    "\n";

class ExtractCliTest : public ::testing::Test {
 protected:
  ExtractCliTest() { dac::test::write_file(treebank_, kTreebank); }

  dac::test::CommandResult extract(std::vector<std::string> more) {
    std::vector<std::string> args = {"extract", "--plugin", kTestPlugin, "--conllu",
                                     treebank_.string()};
    args.insert(args.end(), more.begin(), more.end());
    return dac::test::run_dacrun(args);
  }

  dac::test::TempDir dir_;
  fs::path treebank_ = dir_ / "tiny.conllu";
};

TEST_F(ExtractCliTest, PrintsOneJsonLinePerChunk) {
  const auto result = extract({"--extractor", "test_determiner_noun"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      result.out,
      "{\"sent_id\": \"s1\", \"type\": \"test_determiner_noun\", "
      "\"controller\": {\"index\": 1, \"form\": \"dog\"}, "
      "\"target\": {\"index\": 0, \"form\": \"the\"}, "
      "\"members\": [{\"index\": 0, \"form\": \"the\"}, {\"index\": 1, \"form\": \"dog\"}]}\n"
      "{\"sent_id\": \"s2\", \"type\": \"test_determiner_noun\", "
      "\"controller\": {\"index\": 1, \"form\": \"cat\"}, "
      "\"target\": {\"index\": 0, \"form\": \"a\"}, "
      "\"members\": [{\"index\": 0, \"form\": \"a\"}, {\"index\": 1, \"form\": \"cat\"}]}\n"
      "{\"sent_id\": \"s2\", \"type\": \"test_determiner_noun\", "
      "\"controller\": {\"index\": 4, \"form\": \"bird\"}, "
      "\"target\": {\"index\": 3, \"form\": \"the\"}, "
      "\"members\": [{\"index\": 3, \"form\": \"the\"}, {\"index\": 4, \"form\": \"bird\"}]}\n");
  EXPECT_PRED2(contains, result.err, "2 sentences, 3 chunks");
}

TEST_F(ExtractCliTest, LimitStopsAfterNSentences) {
  const auto result = extract({"--extractor", "test_determiner_noun", "--limit", "1"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_PRED2(contains, result.out, "\"s1\"");
  EXPECT_FALSE(contains(result.out, "\"s2\""));
  EXPECT_PRED2(contains, result.err, "1 sentences, 1 chunks");
}

TEST_F(ExtractCliTest, UnknownExtractorSuggestsTheNearestName) {
  const auto result = extract({"--extractor", "test_determiner_nuon"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "unknown agreement_extractor plugin 'test_determiner_nuon'");
  EXPECT_PRED2(contains, result.err, "test_determiner_noun");
  EXPECT_TRUE(result.out.empty());
}

TEST_F(ExtractCliTest, UnknownOptionOfTheExtractorIsAUserError) {
  const auto result = extract({"--extractor", "test_determiner_noun", "--set", "colour=blue"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_PRED2(contains, result.err, "colour");
}

TEST_F(ExtractCliTest, MissingFileIsAUserError) {
  const auto result = dac::test::run_dacrun({"extract", "--plugin", kTestPlugin, "--extractor",
                                             "test_determiner_noun", "--conllu",
                                             (dir_ / "absent.conllu").string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "cannot read CoNLL-U file");
  EXPECT_PRED2(contains, result.err, "absent.conllu");
}

TEST_F(ExtractCliTest, MalformedTreebankNamesFileAndLine) {
  dac::test::write_file(treebank_, std::string(kTreebank) + "1\tx\tx\tX\tX\t_\t4\troot\t_\t_\n");
  const auto result = extract({"--extractor", "test_determiner_noun"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err,
               treebank_.string() + ":15: word 1 'x': head 4 is out of range");
}

TEST(ExtractCli, CommandIsListedAndSuggested) {
  EXPECT_PRED2(contains, dac::test::run_dacrun({"--help"}).out, "dacrun extract");
  const auto result = dac::test::run_dacrun({"extarct"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "did you mean 'extract'");
}

}  // namespace
