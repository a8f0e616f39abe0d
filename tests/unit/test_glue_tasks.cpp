// Tests of the GLUE task plugins: the loaders on the real GLUE files (official row counts, labels,
// first rows), MNLI on a small file in its format, the synthetic tasks' layout, bad files, scores,
// and the plugin library registering all nine.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/glue/glue_average.hpp"
#include "dac/kinds/glue_task.hpp"
#include "dac/plugin_host.hpp"
#include "generator.hpp"
#include "glue_task_catalog.hpp"
#include "support/test_support.hpp"
#include "tasks.hpp"

namespace dac::glue_tasks {
namespace {

namespace fs = std::filesystem;
using dac::test::contains;
using dac::test::error_of;
using dac::test::TempDir;
using dac::test::write_file;

const std::vector<std::string> kTaskNames = {"cola", "sst2", "mrpc", "stsb", "qqp",
                                             "mnli", "qnli", "rte",  "wnli"};

// A task's config table: root, and optionally another folder.
ConfigNode task_table(const fs::path& root, const std::string& folder = "") {
  ConfigNode table = ConfigNode::table();
  table.set("root", ConfigNode::string(root.string()));
  if (!folder.empty()) table.set("folder", ConfigNode::string(folder));
  return table;
}

std::unique_ptr<GlueTask> task_at(const std::string& name, const fs::path& root,
                                  const std::string& folder = "") {
  return make_glue_task(name, task_table(root, folder));
}

std::map<double, int> label_counts(const std::vector<GlueExample>& examples) {
  std::map<double, int> counts;
  for (const GlueExample& example : examples) ++counts[example.label];
  return counts;
}

// The real GLUE folder, when the data folder has one.
std::optional<fs::path> glue_root() {
  const std::optional<fs::path> data = dac::test::test_data_dir();
  if (!data || !fs::is_directory(*data / "glue")) return std::nullopt;
  return *data / "glue";
}

TEST(GlueTasks, RealFilesHaveTheOfficialRowCounts) {
  const std::optional<fs::path> root = glue_root();
  if (!root) GTEST_SKIP() << "needs the real data folder (DAC_TEST_DATA)";
  struct Count {
    std::string task, split;
    std::size_t rows;
  };
  const std::vector<Count> counts = {
      {"cola", "train", 8551},      {"cola", "validation", 1043}, {"cola", "test", 1063},
      {"sst2", "train", 67349},     {"sst2", "validation", 872},  {"sst2", "test", 1821},
      {"mrpc", "train", 3668},      {"mrpc", "validation", 408},  {"mrpc", "test", 1725},
      {"stsb", "train", 5749},      {"stsb", "validation", 1500}, {"stsb", "test", 1379},
      {"rte", "train", 2490},       {"rte", "validation", 277},   {"rte", "test", 3000},
      {"wnli", "train", 635},       {"wnli", "validation", 71},   {"wnli", "test", 146},
      {"qnli", "validation", 5463}, {"qnli", "test", 5463}};
  for (const Count& count : counts) {
    const std::vector<GlueExample> examples = task_at(count.task, *root)->load(count.split);
    EXPECT_EQ(examples.size(), count.rows) << count.task << " " << count.split;
    if (examples.empty()) continue;
    EXPECT_EQ(examples.front().index, 0) << count.task << " " << count.split;
    EXPECT_EQ(examples.back().index, static_cast<std::int64_t>(count.rows) - 1);
  }
}

TEST(GlueTasks, RealFilesGiveTheirLabelsAndSentences) {
  const std::optional<fs::path> root = glue_root();
  if (!root) GTEST_SKIP() << "needs the real data folder (DAC_TEST_DATA)";
  const auto cola = task_at("cola", *root);
  EXPECT_EQ(cola->num_labels(), 2);
  EXPECT_EQ(label_counts(cola->load("validation")), (std::map<double, int>{{0, 322}, {1, 721}}));
  const GlueExample first_cola = cola->load("train").front();
  EXPECT_EQ(first_cola.sentence_a,
            "Our friends won't buy this analysis, let alone the next one we propose.");
  EXPECT_EQ(first_cola.sentence_b, "");
  EXPECT_EQ(first_cola.label, 1);
  EXPECT_EQ(cola->load("test").front().sentence_a, "Bill whistled past the house.");

  const auto sst2 = task_at("sst2", *root);
  const std::vector<GlueExample> sst2_dev = sst2->load("validation");
  EXPECT_EQ(label_counts(sst2_dev), (std::map<double, int>{{0, 428}, {1, 444}}));
  EXPECT_EQ(sst2_dev.front().sentence_a, "it 's a charming and often affecting journey . ");

  // The header's first name has a byte order mark; quotes stay as written.
  const auto mrpc = task_at("mrpc", *root);
  EXPECT_EQ(label_counts(mrpc->load("validation")), (std::map<double, int>{{0, 129}, {1, 279}}));
  const GlueExample first_mrpc = mrpc->load("train").front();
  EXPECT_EQ(first_mrpc.sentence_a,
            "Amrozi accused his brother , whom he called \" the witness \" , of deliberately "
            "distorting his evidence .");
  EXPECT_EQ(first_mrpc.sentence_b,
            "Referring to him as only \" the witness \" , Amrozi accused his brother of "
            "deliberately distorting his evidence .");
  EXPECT_EQ(first_mrpc.label, 1);

  const auto stsb = task_at("stsb", *root);
  EXPECT_EQ(stsb->num_labels(), 1);
  const std::vector<GlueExample> stsb_dev = stsb->load("validation");
  EXPECT_EQ(stsb_dev[0].label, 5.0);
  EXPECT_EQ(stsb_dev[1].label, 4.75);
  EXPECT_EQ(stsb_dev[1].sentence_b, "A child is riding a horse.");

  const auto rte = task_at("rte", *root);
  const std::vector<GlueExample> rte_dev = rte->load("validation");
  EXPECT_EQ(label_counts(rte_dev), (std::map<double, int>{{0, 146}, {1, 131}}));
  EXPECT_EQ(rte_dev.front().label, 1);  // not_entailment
  EXPECT_EQ(rte_dev.front().sentence_b, "Christopher Reeve had an accident.");
  EXPECT_EQ(rte->load("test").front().label, 0);

  EXPECT_EQ(label_counts(task_at("qnli", *root)->load("validation")),
            (std::map<double, int>{{0, 2702}, {1, 2761}}));
  EXPECT_EQ(label_counts(task_at("wnli", *root)->load("validation")),
            (std::map<double, int>{{0, 40}, {1, 31}}));
}

TEST(GlueTasks, QqpSubsetLoadsWithoutHeaderAndSkipsItsShortRow) {
  const std::optional<fs::path> root = glue_root();
  if (!root) GTEST_SKIP() << "needs the real data folder (DAC_TEST_DATA)";
  ConfigNode table = task_table(*root, "QQP_train_subset");
  table.set_path("files.train", ConfigNode::string("train_subset.tsv"));
  table.set("header", ConfigNode::boolean(false));
  const std::vector<GlueExample> examples = make_glue_task("qqp", table)->load("train");
  ASSERT_EQ(examples.size(), 23496u);
  EXPECT_EQ(label_counts(examples), (std::map<double, int>{{0, 14749}, {1, 8747}}));
  // Row 0 has five columns (its last tab is a space): skipped, as GLUE's QQP reader does.
  EXPECT_EQ(examples.front().index, 1);
  EXPECT_EQ(examples.front().sentence_a, "What causes stool color to change to yellow?");
  EXPECT_EQ(examples.front().sentence_b, "What can cause stool to come out as little balls?");
}

TEST(GlueTasks, MaxExamplesReadsTheFirstRows) {
  const std::optional<fs::path> root = glue_root();
  if (!root) GTEST_SKIP() << "needs the real data folder (DAC_TEST_DATA)";
  ConfigNode table = task_table(*root);
  table.set("max_examples", ConfigNode::integer(5));
  const auto sst2 = make_glue_task("sst2", table);
  const std::vector<GlueExample> examples = sst2->load("train");
  ASSERT_EQ(examples.size(), 5u);
  EXPECT_EQ(examples.back().index, 4);
  EXPECT_EQ(examples.front().sentence_a, "hide new secretions from the parental units ");
}

// MNLI's header lines: train has one annotator label, dev five, both then gold_label; test none.
const std::string kMnliColumns =
    "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\t"
    "sentence1_parse\tsentence2_parse\tsentence1\tsentence2";

std::string mnli_row(int index, const std::string& a, const std::string& b,
                     const std::vector<std::string>& labels) {
  std::string row =
      std::to_string(index) + "\t1\t1n\tfiction\t( a )\t( b )\t(ROOT a)\t(ROOT b)\t" + a + "\t" + b;
  for (const std::string& label : labels) row += "\t" + label;
  return row + "\n";
}

TEST(GlueTasks, MnliReadsItsFiveSplitsByHeaderNames) {
  TempDir dir;
  write_file(
      dir / "MNLI/train.tsv",
      kMnliColumns + "\tlabel1\tgold_label\n" +
          mnli_row(0, "A man sleeps.", "A man is awake.", {"contradiction", "contradiction"}) +
          mnli_row(1, "It rains.", "It is wet.", {"entailment", "entailment"}));
  const std::string dev_header =
      kMnliColumns + "\tlabel1\tlabel2\tlabel3\tlabel4\tlabel5\tgold_label\n";
  write_file(
      dir / "MNLI/dev_matched.tsv",
      dev_header + mnli_row(0, "Cats purr.", "Cats are loud.",
                            {"neutral", "neutral", "entailment", "neutral", "neutral", "neutral"}));
  write_file(dir / "MNLI/dev_mismatched.tsv",
             dev_header +
                 mnli_row(0, "He left.", "He stayed.",
                          {"contradiction", "contradiction", "contradiction", "contradiction",
                           "neutral", "contradiction"}) +
                 mnli_row(1, "She sang.", "She made sound.",
                          {"entailment", "entailment", "entailment", "entailment", "entailment",
                           "entailment"}));
  write_file(dir / "MNLI/test_matched.tsv", kMnliColumns + "\n" + mnli_row(0, "X.", "Y.", {}));

  const auto mnli = task_at("mnli", dir.path());
  EXPECT_EQ(mnli->num_labels(), 3);
  EXPECT_EQ(mnli->splits(),
            (std::vector<std::string>{"train", "validation_matched", "validation_mismatched",
                                      "test_matched", "test_mismatched"}));
  const std::vector<GlueExample> train = mnli->load("train");
  ASSERT_EQ(train.size(), 2u);
  EXPECT_EQ(train[0].sentence_a, "A man sleeps.");
  EXPECT_EQ(train[0].sentence_b, "A man is awake.");
  EXPECT_EQ(train[0].label, 2);                                // contradiction
  EXPECT_EQ(train[1].label, 0);                                // entailment
  EXPECT_EQ(mnli->load("validation_matched").at(0).label, 1);  // neutral
  const std::vector<GlueExample> mismatched = mnli->load("validation_mismatched");
  ASSERT_EQ(mismatched.size(), 2u);
  EXPECT_EQ(mismatched[0].label, 2);
  EXPECT_EQ(mismatched[1].sentence_b, "She made sound.");
  const std::vector<GlueExample> test = mnli->load("test_matched");
  ASSERT_EQ(test.size(), 1u);
  EXPECT_EQ(test[0].label, 0);
  EXPECT_EQ(test[0].sentence_a, "X.");
  EXPECT_PRED2(contains, error_of<UserError>([&] { mnli->load("test_mismatched"); }),
               (dir.path() / "MNLI" / "test_mismatched.tsv").string());
}

TEST(GlueTasks, SyntheticTasksLoadThroughColaAndRte) {
  using namespace dac::synthetic;
  const GrammarSpec grammar =
      load_grammar(default_grammar_dir() / "english.toml", default_grammar_dir() / "lexicon.toml");
  const TaskSet tasks = make_tasks(SyntheticGenerator(grammar, 5), TaskOptions{.examples = 80});
  TempDir dir;
  const TaskCounts counts = write_tasks(tasks, dir.path());

  const auto acceptability = task_at("cola", dir.path(), "acceptability");
  const std::vector<GlueExample> train = acceptability->load("train");
  EXPECT_EQ(train.size(), counts.acceptability_train);
  EXPECT_EQ(acceptability->load("validation").size(), counts.acceptability_dev);
  std::vector<const AcceptabilityExample*> written_train;
  for (const AcceptabilityExample& example : tasks.acceptability)
    if (!example.dev) written_train.push_back(&example);
  ASSERT_EQ(written_train.size(), train.size());
  for (std::size_t i = 0; i < train.size(); ++i) {
    EXPECT_EQ(train[i].sentence_a, written_train[i]->sentence.text);
    EXPECT_EQ(train[i].label, written_train[i]->label);
  }

  const auto pairs = task_at("rte", dir.path(), "pairs");
  const std::vector<GlueExample> pair_dev = pairs->load("validation");
  EXPECT_EQ(pair_dev.size(), counts.pairs_dev);
  EXPECT_EQ(pairs->load("train").size(), counts.pairs_train);
  std::vector<const SentencePairExample*> written_dev;
  for (const SentencePairExample& example : tasks.pairs)
    if (example.dev) written_dev.push_back(&example);
  ASSERT_EQ(written_dev.size(), pair_dev.size());
  for (std::size_t i = 0; i < pair_dev.size(); ++i) {
    EXPECT_EQ(pair_dev[i].sentence_a, written_dev[i]->first.text);
    EXPECT_EQ(pair_dev[i].sentence_b, written_dev[i]->second.text);
    EXPECT_EQ(pair_dev[i].label, written_dev[i]->entailment ? 0 : 1);
  }
}

TEST(GlueTasks, MissingRootFolderOrFileNamesTheExpectedPath) {
  const std::string unset = error_of<UserError>([] { make_glue_task("cola")->load("train"); });
  EXPECT_PRED2(contains, unset, "`root` is not set");
  EXPECT_PRED2(contains, unset, "<root>/CoLA/{train.tsv, dev.tsv, test.tsv}");
  EXPECT_PRED2(contains, unset, "download_glue_data.py");

  TempDir dir;
  const std::string no_folder =
      error_of<UserError>([&] { task_at("sst2", dir.path())->load("validation"); });
  EXPECT_PRED2(contains, no_folder, (dir.path() / "SST-2" / "dev.tsv").string());
  EXPECT_PRED2(contains, no_folder, "download_glue_data.py");

  write_file(dir / "RTE/train.tsv", "index\tsentence1\tsentence2\tlabel\n");
  const std::string no_file =
      error_of<UserError>([&] { task_at("rte", dir.path())->load("validation"); });
  EXPECT_PRED2(contains, no_file, (dir.path() / "RTE" / "dev.tsv").string());
  EXPECT_PRED2(contains, no_file, "download_glue_data.py");
  EXPECT_TRUE(task_at("rte", dir.path())->load("train").empty());

  EXPECT_PRED2(contains, error_of<UserError>([&] { task_at("rte", dir.path())->load("dev"); }),
               "train, validation, test");
}

TEST(GlueTasks, ShortRowsAreErrorsWithFileLineAndColumnCounts) {
  TempDir dir;
  write_file(dir / "RTE/dev.tsv",
             "index\tsentence1\tsentence2\tlabel\n0\tA.\tB.\tentailment\n1\tA.\tentailment\n");
  EXPECT_PRED2(contains,
               error_of<UserError>([&] { task_at("rte", dir.path())->load("validation"); }),
               (dir.path() / "RTE" / "dev.tsv").string() + ":3: expected 4 columns, found 3");
  write_file(dir / "CoLA/train.tsv", "gj04\t1\t\tFine.\ngj04\t1\n");
  EXPECT_PRED2(contains, error_of<UserError>([&] { task_at("cola", dir.path())->load("train"); }),
               "train.tsv:2: expected 4 columns, found 2");
  // An empty line with more text after it is a row.
  write_file(dir / "CoLA/dev.tsv", "gj04\t1\t\tFine.\n\ngj04\t0\t*\tBad.\n");
  EXPECT_PRED2(contains,
               error_of<UserError>([&] { task_at("cola", dir.path())->load("validation"); }),
               "dev.tsv:2: expected 4 columns, found 1");
}

TEST(GlueTasks, UnknownLabelsAreErrorsNamingTheAllowedOnes) {
  TempDir dir;
  write_file(dir / "RTE/train.tsv",
             "index\tsentence1\tsentence2\tlabel\n0\tA.\tB.\tentailment\n1\tA.\tB.\tmaybe\n");
  const std::string message =
      error_of<UserError>([&] { task_at("rte", dir.path())->load("train"); });
  EXPECT_PRED2(contains, message, "train.tsv:3: label 'maybe'");
  EXPECT_PRED2(contains, message, "entailment, not_entailment");

  write_file(dir / "STS-B/dev.tsv",
             "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\t"
             "score\n0\tg\tf\t2012\t0\tnone\tnone\tA.\tB.\t7.5\n");
  EXPECT_PRED2(contains,
               error_of<UserError>([&] { task_at("stsb", dir.path())->load("validation"); }),
               "dev.tsv:2: label '7.5' is not a score from 0 to 5");

  write_file(dir / "SST-2/dev.tsv", "text\tlabel\nGood.\t1\n");
  EXPECT_PRED2(contains,
               error_of<UserError>([&] { task_at("sst2", dir.path())->load("validation"); }),
               "dev.tsv:1: the header has no column 'sentence'");
}

TEST(GlueTasks, ByteOrderMarkCarriageReturnsQuotesAndTrailingEmptyLines) {
  TempDir dir;
  write_file(dir / "MRPC/train.tsv",
             "\xEF\xBB\xBFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\r\n"
             "1\t1\t2\tHe said \"yes\" , twice .\t\"Yes\" , he said .\r\n"
             "0\t3\t4\t'Quoted'\tplain \"\r\n\r\n\n");
  const std::vector<GlueExample> examples = task_at("mrpc", dir.path())->load("train");
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].sentence_a, "He said \"yes\" , twice .");
  EXPECT_EQ(examples[0].sentence_b, "\"Yes\" , he said .");
  EXPECT_EQ(examples[0].label, 1);
  EXPECT_EQ(examples[1].sentence_a, "'Quoted'");
  EXPECT_EQ(examples[1].sentence_b, "plain \"");
  EXPECT_EQ(examples[1].label, 0);
}

TEST(GlueTasks, ScoresInPercentWithTheHeadlineFirst) {
  const std::map<std::string, std::vector<std::string>> metrics = {
      {"cola", {"matthews"}},       {"sst2", {"accuracy"}},
      {"mrpc", {"f1", "accuracy"}}, {"stsb", {"pearson", "spearman"}},
      {"qqp", {"f1", "accuracy"}},  {"mnli", {"accuracy"}},
      {"qnli", {"accuracy"}},       {"rte", {"accuracy"}},
      {"wnli", {"accuracy"}}};
  for (const auto& [name, expected] : metrics)
    EXPECT_EQ(make_glue_task(name)->metric_names(), expected) << name;

  std::vector<GlueExample> gold(4);
  const std::vector<double> gold_labels = {1, 0, 1, 1};
  for (std::size_t i = 0; i < gold.size(); ++i) gold[i].label = gold_labels[i];
  // tp 2, fp 0, fn 1; 3 of 4 right.
  const std::map<std::string, double> mrpc = make_glue_task("mrpc")->score({1, 0, 0, 1}, gold);
  EXPECT_DOUBLE_EQ(mrpc.at("f1"), 80.0);
  EXPECT_DOUBLE_EQ(mrpc.at("accuracy"), 75.0);
  const std::map<std::string, double> stsb = make_glue_task("stsb")->score({3, 1, 3, 3}, gold);
  EXPECT_DOUBLE_EQ(stsb.at("pearson"), 100.0);
  EXPECT_DOUBLE_EQ(stsb.at("spearman"), 100.0);
  EXPECT_PRED2(contains, error_of<UserError>([&] { make_glue_task("rte")->score({1}, gold); }),
               "1 predictions for 4 gold labels");
}

TEST(GlueTasks, ThePluginRegistersAllNineMatchingTheGlueColumns) {
  PluginHost host;
  host.load_library(fs::path(DAC_PLUGIN_DIR) / "dac_glue_tasks.so");
  const Registry& registry = host.registry("glue_task");
  std::vector<std::string> expected = kTaskNames;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(registry.names(), expected);
  for (const PluginInfo* info : registry.list())
    for (const KeySpec& key : info->spec.schema.keys())
      EXPECT_FALSE(key.help.empty()) << info->spec.name << "." << key.name;
  // Every column of the GLUE average names a task, one of its splits and its headline metric.
  for (const glue::GlueColumn& column : glue::glue_columns()) {
    const auto task = host.create_named<GlueTask>(column.task, ConfigNode::table(), "task");
    const std::vector<std::string> splits = task->splits();
    EXPECT_NE(std::find(splits.begin(), splits.end(), column.split), splits.end()) << column.header;
    EXPECT_EQ(task->metric_names().front(), column.metric) << column.header;
  }
}

}  // namespace
}  // namespace dac::glue_tasks
