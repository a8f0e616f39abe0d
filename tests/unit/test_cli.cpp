// Tests of the dacrun command line as users call it: help, exit codes, error messages, `plugins`,
// `dump-config`, dry runs, running and resuming experiments, and the quickstart experiment.
#include <gtest/gtest.h>

#include <sstream>

#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace {

// The cells of one CSV line (RFC 4180 quoting, no line breaks inside cells).
std::vector<std::string> csv_cells(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

// The value of `column` in the first data row of a summary.csv.
std::string summary_cell(const std::string& csv, const std::string& column) {
  std::istringstream lines(csv);
  std::string header, row;
  std::getline(lines, header);
  std::getline(lines, row);
  const std::vector<std::string> names = csv_cells(header), values = csv_cells(row);
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
    if (names[i] == column) return values[i];
  ADD_FAILURE() << "no column " << column << " in " << header;
  return "nan";
}

namespace fs = std::filesystem;
using dac::test::CommandResult;
using dac::test::contains;
using dac::test::read_file;
using dac::test::TempDir;
using dac::test::write_file;

const std::string kTestPlugin = DAC_TEST_PLUGIN_DIR "/good/dac_test_stages.so";

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++count;
  return count;
}

// A user error: exit code 2 and one "dacrun: error: ..." paragraph holding `part` on stderr,
// with no sign of an uncaught exception.
void expect_user_error(const CommandResult& result, const std::string& part) {
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(result.err.starts_with("dacrun: error: ")) << result.err;
  EXPECT_EQ(count_of(result.err, "dacrun: error: "), 1u) << result.err;
  EXPECT_FALSE(contains(result.err, "\n\n")) << result.err;
  EXPECT_FALSE(contains(result.err, "terminate called")) << result.err;
  EXPECT_FALSE(contains(result.err, "what()")) << result.err;
  EXPECT_PRED2(contains, result.err, part);
}

constexpr const char* kExperiment = R"([experiment]
name = "demo"
seed = 2

[train]
lr = 0.01

[[stages]]
name = "count"
kind = "counting"
steps = 3

[[stages]]
name = "reader"
kind = "section_reader"
inputs = ["count"]

[variants.small]

[variants.big.stages.count]
steps = 4
)";

// A working folder with an experiment file; runs go to <dir>/runs.
class CliTest : public ::testing::Test {
 protected:
  CliTest() { write_file(dir_ / "exp.toml", kExperiment); }

  CommandResult dacrun(std::vector<std::string> args) {
    return dac::test::run_dacrun(args, dir_.path());
  }
  // `dacrun run exp.toml` with the test plugins and the runs folder in the working folder.
  CommandResult run(std::vector<std::string> extra = {}, const std::string& file = "exp.toml") {
    std::vector<std::string> args{"run", file, "--plugin", kTestPlugin, "--runs-dir", "runs"};
    args.insert(args.end(), extra.begin(), extra.end());
    return dacrun(args);
  }

  TempDir dir_;
};

TEST_F(CliTest, HelpListsCommandsAndRunOptions) {
  const CommandResult help = dacrun({"--help"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  for (const char* command : {"dacrun EXPERIMENT.toml", "run", "plugins", "dump-config", "bench"})
    EXPECT_PRED2(contains, help.out, command);
  EXPECT_PRED2(contains, help.out, "Exit codes: 0 success, 1 a stage or run failed, 2 bad input");

  const CommandResult run_help = dacrun({"run", "--help"});
  EXPECT_EQ(run_help.exit_code, 0) << run_help.err;
  EXPECT_PRED2(contains, run_help.out, "usage: dacrun run EXPERIMENT.toml [options]");
  for (const char* option :
       {"--set", "--only", "--dry-run", "--resume", "--force", "--runs-dir", "--quiet", "--plugin"})
    EXPECT_PRED2(contains, run_help.out, option);
}

TEST_F(CliTest, UnknownCommandSuggestsTheClosest) {
  expect_user_error(dacrun({"runn", "exp.toml"}),
                    "unknown command 'runn' (did you mean 'run'?). Run `dacrun --help`");
}

TEST_F(CliTest, MissingExperimentFileNamesThePath) {
  expect_user_error(run({}, "nothere.toml"),
                    "cannot read config file 'nothere.toml': No such file or directory");
}

TEST_F(CliTest, TomlSyntaxErrorNamesFileLineAndColumn) {
  write_file(dir_ / "broken.toml", "[experiment]\nname = \"demo\nseed = 1\n");
  const CommandResult result = run({}, "broken.toml");
  expect_user_error(result, "dacrun: error: broken.toml:2:");
  EXPECT_PRED2(contains, result.err, ": TOML syntax error: ");
}

TEST_F(CliTest, UnknownKeyNamesItsPositionAndSuggests) {
  std::string text = kExperiment;
  text.replace(text.find("steps = 3"), 9, "stpes = 3");
  write_file(dir_ / "typo.toml", text);
  expect_user_error(run({"--dry-run"}, "typo.toml"),
                    "typo.toml:11:9: stages.count.stpes: unknown key (did you mean 'steps'?); "
                    "valid keys: steps, fail_at, label");
}

TEST_F(CliTest, ResumeAndForceExcludeEachOther) {
  expect_user_error(run({"--resume", "--force"}), "--resume and --force exclude each other");
  EXPECT_FALSE(fs::exists(dir_ / "runs"));
}

TEST_F(CliTest, UnknownOptionPointsToHelp) {
  expect_user_error(run({"--frce"}), "Run `dacrun run --help` for the options.");
}

TEST_F(CliTest, PluginsListsKindsPluginsKeysAndLibraries) {
  const CommandResult result = dacrun({"plugins", "--plugin", kTestPlugin});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_PRED2(contains, result.out, "\nstage: ");
  EXPECT_PRED2(contains, result.out, "\ncorpus: ");
  EXPECT_PRED2(contains, result.out, "  " + kTestPlugin + "\n");
  EXPECT_PRED2(contains, result.out, "  counting  version 1  from " + kTestPlugin + "\n");
  EXPECT_PRED2(contains, result.out, "steps: int = 5  [min 0]\n");
  EXPECT_PRED2(contains, result.out, "fail_at: int = -1\n");
  EXPECT_PRED2(contains, result.out, "label: string = \"\"\n");
  EXPECT_PRED2(contains, result.out, "reads [train]: training recipe\n");
  EXPECT_PRED2(contains, result.out, "lr: float = 0.001\n");
  // The default plugins are there too.
  EXPECT_PRED2(contains, result.out, "  system_check  version ");
}

TEST_F(CliTest, PluginsWithUnknownKindSuggests) {
  expect_user_error(dacrun({"plugins", "--kind", "stag"}),
                    "unknown plugin kind 'stag' (did you mean 'stage'?); kinds: stage, ");
}

TEST_F(CliTest, DumpConfigResolvesVariantAndOverridesWithOrigins) {
  const CommandResult result =
      dacrun({"dump-config", "exp.toml", "--variant", "big", "--set", "train.lr=0.5", "--origins"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_PRED2(contains, result.out, "[train]\nlr = 0.5  # --set train.lr=0.5\n");
  EXPECT_PRED2(contains, result.out, "name = \"count\"  # exp.toml:9:8\n");
  EXPECT_PRED2(contains, result.out, "steps = 4  # exp.toml:21:9\n");
  EXPECT_PRED2(contains, result.out, "seed = 2  # exp.toml:3:8\n");
  EXPECT_FALSE(contains(result.out, "[variants")) << result.out;
}

TEST_F(CliTest, DumpConfigWithoutVariantKeepsVariantsAndAppliesSet) {
  const CommandResult result = dacrun({"dump-config", "exp.toml", "--set", "stages.count.steps=9"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_PRED2(contains, result.out, "steps = 9\n");
  EXPECT_PRED2(contains, result.out, "[variants.big.stages.count]");
  EXPECT_FALSE(contains(result.out, "# exp.toml")) << result.out;
}

TEST_F(CliTest, DryRunListsRunsStagesAndHashesWithoutRunning) {
  const CommandResult result = run({"--dry-run"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_PRED2(contains, result.out, "experiment demo (exp.toml): 2 runs, runs folder runs/demo\n");
  EXPECT_PRED2(contains, result.out, "\nrun demo-small-");
  EXPECT_PRED2(contains, result.out, "\nrun demo-big-");
  EXPECT_PRED2(contains, result.out, "  seed: 2\n");
  EXPECT_EQ(count_of(result.out, "  stage count  kind=counting  hash="), 2u);
  EXPECT_EQ(count_of(result.out, "  stage reader  kind=section_reader  hash="), 2u);
  EXPECT_EQ(count_of(result.out, "  -> run\n"), 4u);
  EXPECT_FALSE(fs::exists(dir_ / "runs"));
}

TEST_F(CliTest, PlainFileArgumentRunsTheExperiment) {
  const CommandResult result =
      dacrun({"exp.toml", "--plugin", kTestPlugin, "--runs-dir", "runs", "--only", "small", "-q"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_PRED2(contains, result.out, "demo: 1 run (summary: runs/demo/summary.md)\n");
  EXPECT_PRED2(contains, result.out, "  ok     demo-small-");
  EXPECT_PRED2(contains, result.out, "  count:ran  reader:ran\n");
  EXPECT_TRUE(fs::is_regular_file(dir_ / "runs" / "demo" / "summary.csv"));
  EXPECT_TRUE(fs::is_directory(dir_ / "runs" / "stages"));
  EXPECT_EQ(result.err, "");
}

TEST_F(CliTest, FailingStageExitsOneAndResumeContinues) {
  const std::vector<std::string> fail{"--set", "stages.count.fail_at=1", "--only", "small", "-q"};
  const CommandResult failed = run(fail);
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_PRED2(contains, failed.out, "  FAILED demo-small-");
  EXPECT_PRED2(contains, failed.out, "  count:failed  reader:skipped\n");
  EXPECT_PRED2(contains, failed.err,
               "failed: stage 'count': counting stopped on purpose at step 1\n");
  EXPECT_FALSE(contains(failed.err, "terminate called")) << failed.err;

  expect_user_error(run(fail), "Continue them with --resume, or start them again with --force.");

  std::vector<std::string> resume = fail;
  resume.push_back("--resume");
  const CommandResult resumed = run(resume);
  EXPECT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_PRED2(contains, resumed.out, "  count:resumed  reader:ran\n");
}

TEST_F(CliTest, RunsFolderUnderAFileIsAUserErrorNamingThePath) {
  write_file(dir_ / "plain-file", "");
  expect_user_error(dacrun({"exp.toml", "--plugin", kTestPlugin, "--runs-dir", "plain-file/runs"}),
                    "cannot create experiment folder 'plain-file/runs/demo'");
}

TEST_F(CliTest, QuickstartExperimentRuns) {
  // A smaller budget than the file's; both DACBERT stages must name the same total.
  const std::string quickstart = std::string(DAC_SOURCE_DIR) + "/experiments/quickstart.toml";
  const CommandResult result =
      dacrun({quickstart, "--runs-dir", "runs", "-q", "--set", "stages.system.matmul_sizes=[64]",
              "--set", "stages.system.repeats=1", "--set", "stages.pretrain.budget=5e11", "--set",
              "stages.submodels.budget=5e11", "--set", "stages.attention.rows=32"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  // The small ablation: the baseline, DACBERT and the random control, sharing the data stages.
  EXPECT_PRED2(contains, result.out,
               "  system:ran  corpus_stats:ran  treebank:ran  parser:ran  data:ran  tasks:ran  "
               "submodels:ran  pretrain:ran  glue:ran  probe:ran  attention:ran\n");
  EXPECT_PRED2(contains, result.out, "  ok     quickstart-crammed_bert-");
  EXPECT_PRED2(contains, result.out, "  ok     quickstart-dacbert-");
  EXPECT_PRED2(contains, result.out, "  ok     quickstart-random-");
  EXPECT_PRED2(contains, result.out, "submodels:reused  pretrain:ran");
  // It ends with one GLUE-style table over the three variants, with differences to the baseline,
  // and the agreement report (gates, attention, probing).
  EXPECT_PRED2(contains, result.out, "GLUE (");
  EXPECT_PRED2(contains, result.out, "acceptability");
  EXPECT_PRED2(contains, result.out, "### Differences to crammed_bert");
  EXPECT_PRED2(contains, result.out, "| random |");
  EXPECT_PRED2(contains, result.out, "Agreement gates and probing (");
  EXPECT_PRED2(contains, result.out, "gate_subject_verb");
  EXPECT_PRED2(contains, result.out, "attention_subject_verb_mean");
  EXPECT_PRED2(contains, result.out, "probe subject_verb");
  EXPECT_TRUE(fs::exists(dir_ / "runs" / "quickstart" / "glue_table.md"));
  const std::string summary = dac::test::read_file(dir_ / "runs" / "quickstart" / "summary.csv");
  // The synthetic corpus was measured and packed into rows.
  EXPECT_PRED2(contains, summary, "corpus_stats.agreements_per_1000_words");
  EXPECT_PRED2(contains, summary, "data.train_rows");
  EXPECT_PRED2(contains, summary, "tasks.minimal_pairs");
  // The small parser learned the synthetic grammar, and the corpus got agreement chunks.
  EXPECT_GT(std::stod(summary_cell(summary, "parser.dev_las")), 85);
  EXPECT_GT(std::stod(summary_cell(summary, "data.annotation_chunks")), 1000);
  // The tiny model learned: its validation loss is well below ln(4096) = 8.3, the loss of a
  // uniform guess over the vocabulary.
  const double validation_loss = std::stod(summary_cell(summary, "pretrain.validation_loss"));
  EXPECT_LT(validation_loss, 7.5);
}

}  // namespace
