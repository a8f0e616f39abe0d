// Tests of executing experiment plans in-process: run folders and their files, stage reuse by
// hash, --force and --resume, failing stages, the summary tables and the metrics streams.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/experiment.hpp"
#include "dac/plugin_host.hpp"
#include "dac/records.hpp"
#include "dac/runner.hpp"
#include "dac/stage_state.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::ExperimentPlan;
using dac::RunOutcome;
using dac::StageOutcome;
using dac::UserError;
using dac::test::contains;
using dac::test::read_file;
using dac::test::TempDir;
using dac::test::write_file;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// "count:ran after:skipped" for a run outcome.
std::string outcomes_text(const RunOutcome& outcome) {
  std::string text;
  for (const auto& [stage, result] : outcome.stages)
    text += (text.empty() ? "" : " ") + stage + ":" + dac::stage_outcome_name(result);
  return text;
}

// Two counting stages, the second consuming the first; `extra` is appended to the file.
std::string experiment(const std::string& count_options, const std::string& extra = "") {
  return "[experiment]\n"
         "name = \"demo\"\n"
         "\n"
         "[[stages]]\n"
         "name = \"count\"\n"
         "kind = \"counting\"\n" +
         count_options +
         "\n"
         "[[stages]]\n"
         "name = \"after\"\n"
         "kind = \"counting\"\n"
         "inputs = [\"count\"]\n"
         "steps = 2\n" +
         extra;
}

// An experiment file in a temporary folder, planned and executed in-process with no console.
class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override { host_.load_library(DAC_TEST_PLUGIN_DIR "/good/dac_test_stages.so"); }

  ExperimentPlan plan(const std::string& text) {
    write_file(dir_ / "exp.toml", text);
    dac::ExperimentRequest request;
    request.file = dir_ / "exp.toml";
    request.runs_dir = runs_dir_;
    return dac::plan_experiment(request, host_);
  }

  std::vector<RunOutcome> execute(const ExperimentPlan& plan, bool resume = false,
                                  bool force = false) {
    dac::RunnerOptions options;
    options.resume = resume;
    options.force = force;
    options.verbose = false;
    options.command_line = "dacrun exp.toml";
    dac::RecordBus bus;
    return dac::execute_plan(plan, host_, options, bus);
  }

  std::vector<RunOutcome> run(const std::string& text, bool resume = false, bool force = false) {
    return execute(plan(text), resume, force);
  }

  // The folder of stage `name` in the first run of `text`.
  fs::path stage_dir(const std::string& text, const std::string& name) {
    const ExperimentPlan planned = plan(text);
    for (const auto& stage : planned.runs.at(0).stages)
      if (stage.name == name) return stage.dir;
    ADD_FAILURE() << "no stage " << name;
    return {};
  }

  TempDir dir_;
  fs::path runs_dir_ = dir_ / "runs";
  dac::PluginHost host_;
};

TEST_F(RunnerTest, RunFolderHoldsConfigProvenanceRecordsAndStageLinks) {
  const std::string text = experiment("steps = 3\n");
  const ExperimentPlan planned = plan(text);
  const std::vector<RunOutcome> outcomes = execute(planned);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].succeeded) << outcomes[0].error;
  EXPECT_EQ(outcomes_text(outcomes[0]), "count:ran after:ran");

  const dac::RunPlan& run = planned.runs[0];
  EXPECT_EQ(run.dir.parent_path(), runs_dir_ / "demo");
  EXPECT_TRUE(run.dir.filename().string().starts_with("demo-default-"));
  for (const char* file :
       {"config.toml", "provenance.json", "run.toml", "metrics.jsonl", "log.txt"})
    EXPECT_TRUE(fs::is_regular_file(run.dir / file)) << file;

  const std::string config = read_file(run.dir / "config.toml");
  EXPECT_PRED2(contains, config, "steps = 3  # " + (dir_ / "exp.toml").string() + ":7:");
  const std::string provenance = read_file(run.dir / "provenance.json");
  EXPECT_TRUE(provenance.starts_with("{"));
  EXPECT_PRED2(contains, provenance, "dac_test_stages.so");

  const dac::ConfigNode run_file = dac::parse_toml_file(run.dir / "run.toml");
  EXPECT_EQ(run_file.find("status")->as_string(), "finished");
  EXPECT_EQ(run_file.find("variant")->as_string(), "default");
  EXPECT_EQ(run_file.find("experiment")->as_string(), "demo");

  for (const auto& stage : run.stages) {
    const fs::path link = run.dir / "stages" / stage.name;
    EXPECT_TRUE(fs::is_symlink(link)) << link;
    EXPECT_TRUE(fs::equivalent(link, stage.dir)) << link;
    EXPECT_EQ(stage.dir.parent_path(), runs_dir_ / "stages");
    EXPECT_EQ(stage.dir.filename().string(), "counting-" + stage.hash);
    for (const char* file : {"stage.toml", "metrics.jsonl", "log.txt"})
      EXPECT_TRUE(fs::is_regular_file(stage.dir / file)) << stage.name << "/" << file;
  }
  // The second stage got the first one's result as its input.
  const auto after = dac::read_stage_state(run.stages[1].dir);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, "finished");
  EXPECT_EQ(after->hash, run.stages[1].hash);
  EXPECT_EQ(after->result.find("total")->as_int(), 2 + 3);
}

TEST_F(RunnerTest, SecondInvocationReusesFinishedStages) {
  const std::string text = experiment("steps = 3\n");
  run(text);
  const std::vector<RunOutcome> again = run(text);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(again[0].succeeded);
  EXPECT_EQ(outcomes_text(again[0]), "count:reused after:reused");
  EXPECT_EQ(read_file(stage_dir(text, "count") / "executions.log"), "fresh\n");
  EXPECT_EQ(read_file(stage_dir(text, "after") / "executions.log"), "fresh\n");
}

TEST_F(RunnerTest, ChangedOptionRunsTheStageAndItsDownstreamAgain) {
  run(experiment("steps = 3\n"));
  const std::vector<RunOutcome> changed = run(experiment("steps = 4\n"));
  EXPECT_EQ(outcomes_text(changed.at(0)), "count:ran after:ran");
  // The earlier results stay in their own folders.
  EXPECT_EQ(read_file(stage_dir(experiment("steps = 3\n"), "count") / "executions.log"), "fresh\n");
}

TEST_F(RunnerTest, VariantsThatShareAStageRunItOnce) {
  const std::string text =
      experiment("steps = 3\n", "[variants.a]\n[variants.b.stages.after]\nsteps = 4\n");
  const std::vector<RunOutcome> outcomes = run(text);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes_text(outcomes[0]), "count:ran after:ran");
  EXPECT_EQ(outcomes_text(outcomes[1]), "count:reused after:ran");
  EXPECT_EQ(read_file(stage_dir(text, "count") / "executions.log"), "fresh\n");
}

TEST_F(RunnerTest, ForceRunsEachStageAgainOncePerInvocation) {
  const std::string text =
      experiment("steps = 3\n", "[variants.a]\n[variants.b.stages.after]\nsteps = 4\n");
  run(text);
  const fs::path count_dir = stage_dir(text, "count");
  write_file(count_dir / "leftover.txt", "from the first invocation");

  const std::vector<RunOutcome> forced = run(text, /*resume=*/false, /*force=*/true);
  ASSERT_EQ(forced.size(), 2u);
  EXPECT_EQ(outcomes_text(forced[0]), "count:ran after:ran");
  EXPECT_EQ(outcomes_text(forced[1]), "count:reused after:ran");
  // Started from scratch: the folder was emptied and the stage executed once.
  EXPECT_FALSE(fs::exists(count_dir / "leftover.txt"));
  EXPECT_EQ(read_file(count_dir / "executions.log"), "fresh\n");
  EXPECT_EQ(dac::stage_status(count_dir), "finished");
}

TEST_F(RunnerTest, FailingStageFailsTheRunAndSkipsLaterStages) {
  const std::string text = experiment("steps = 4\nfail_at = 2\n");
  const std::vector<RunOutcome> outcomes = run(text);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].succeeded);
  EXPECT_EQ(outcomes[0].error, "stage 'count': counting stopped on purpose at step 2");
  EXPECT_EQ(outcomes_text(outcomes[0]), "count:failed after:skipped");

  const auto state = dac::read_stage_state(stage_dir(text, "count"));
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->status, "failed");
  EXPECT_EQ(state->error, "counting stopped on purpose at step 2");
  EXPECT_EQ(dac::stage_status(stage_dir(text, "after")), "missing");

  const ExperimentPlan planned = plan(text);
  const dac::ConfigNode run_file = dac::parse_toml_file(planned.runs[0].dir / "run.toml");
  EXPECT_EQ(run_file.find("status")->as_string(), "failed");
  EXPECT_EQ(run_file.find("error")->as_string(),
            "stage 'count': counting stopped on purpose at step 2");
}

TEST_F(RunnerTest, UnfinishedStageNeedsResumeOrForce) {
  const std::string text = experiment("steps = 4\nfail_at = 2\n");
  run(text);
  const ExperimentPlan planned = plan(text);
  std::string message;
  try {
    execute(planned);
    ADD_FAILURE() << "no error";
  } catch (const UserError& error) {
    message = error.what();
  }
  EXPECT_EQ(message, "unfinished stages with the same hash exist:\n  stage 'count' (failed, " +
                         stage_dir(text, "count").string() +
                         ")\nContinue them with --resume, or start them again with --force.");
  // Nothing ran.
  EXPECT_EQ(read_file(stage_dir(text, "count") / "executions.log"), "fresh\n");
}

TEST_F(RunnerTest, ResumeContinuesFromTheCheckpoint) {
  const std::string text = experiment("steps = 4\nfail_at = 2\n");
  run(text);
  const std::vector<RunOutcome> resumed = run(text, /*resume=*/true);
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_TRUE(resumed[0].succeeded) << resumed[0].error;
  EXPECT_EQ(outcomes_text(resumed[0]), "count:resumed after:ran");

  const fs::path count_dir = stage_dir(text, "count");
  const auto state = dac::read_stage_state(count_dir);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->status, "finished");
  EXPECT_EQ(state->result.find("resumed_from")->as_int(), 2);
  EXPECT_EQ(state->result.find("total")->as_int(), 4);
  EXPECT_EQ(read_file(count_dir / "executions.log"), "fresh\nresume\n");
  const dac::ConfigNode run_file = dac::parse_toml_file(plan(text).runs[0].dir / "run.toml");
  EXPECT_EQ(run_file.find("status")->as_string(), "finished");
}

TEST_F(RunnerTest, ForceStartsAFailedStageFromScratch) {
  const std::string text = experiment("steps = 4\nfail_at = 2\n");
  run(text);
  // The stage forgets that it failed once, so it fails at the same step again.
  const std::vector<RunOutcome> forced = run(text, /*resume=*/false, /*force=*/true);
  EXPECT_EQ(outcomes_text(forced.at(0)), "count:failed after:skipped");
  EXPECT_EQ(read_file(stage_dir(text, "count") / "executions.log"), "fresh\n");
}

TEST_F(RunnerTest, SharedStageThatFailedIsNotRetriedByTheNextRun) {
  const std::string text = experiment("steps = 4\nfail_at = 2\n", "[variants.a]\n[variants.b]\n");
  const std::vector<RunOutcome> outcomes = run(text);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes_text(outcomes[0]), "count:failed after:skipped");
  EXPECT_EQ(outcomes_text(outcomes[1]), "count:failed after:skipped");
  EXPECT_PRED2(contains, outcomes[1].error,
               "stage 'count': failed earlier in this invocation (" +
                   stage_dir(text, "count").string() + "): counting stopped on purpose at step 2");
  EXPECT_EQ(read_file(stage_dir(text, "count") / "executions.log"), "fresh\n");

  // --resume continues it once; the second run reuses the result.
  const std::vector<RunOutcome> resumed = run(text, /*resume=*/true);
  EXPECT_EQ(outcomes_text(resumed.at(0)), "count:resumed after:ran");
  EXPECT_EQ(outcomes_text(resumed.at(1)), "count:reused after:reused");
  EXPECT_EQ(read_file(stage_dir(text, "count") / "executions.log"), "fresh\nresume\n");
}

TEST_F(RunnerTest, DryRunListingSaysWhatRunningWouldDo) {
  const std::string text = experiment("steps = 4\nfail_at = 2\n");
  const dac::RunnerOptions plain;
  dac::RunnerOptions resume;
  resume.resume = true;
  const std::string before = dac::describe_plan(plan(text), plain);
  EXPECT_PRED2(contains, before, "experiment demo (");
  EXPECT_PRED2(contains, before, "1 run, runs folder " + (runs_dir_ / "demo").string());
  EXPECT_PRED2(
      contains, before,
      "  stage count  kind=counting  hash=" + plan(text).runs[0].stages[0].hash + "  -> run\n");
  EXPECT_PRED2(contains, before, "inputs=count  -> run\n");
  EXPECT_FALSE(fs::exists(runs_dir_));

  run(text);
  const std::string after = dac::describe_plan(plan(text), plain);
  EXPECT_PRED2(contains, after, "-> blocked: unfinished (failed); use --resume or --force\n");
  EXPECT_PRED2(contains, dac::describe_plan(plan(text), resume), "-> resume\n");

  run(text, /*resume=*/true);
  EXPECT_PRED2(contains, dac::describe_plan(plan(text), plain), "-> reuse\n");
}

TEST_F(RunnerTest, SummaryHasARowPerRunWithStageResults) {
  const std::string text =
      experiment("steps = 3\n", "[sweep.axes]\n\"stages.after.steps\" = [1, 2]\n");
  run(text);
  const std::vector<std::string> lines = lines_of(read_file(runs_dir_ / "demo" / "summary.csv"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[0].starts_with("run,variant,sweep,status,started,finished,"));
  EXPECT_PRED2(contains, lines[0], ",count.total,");
  EXPECT_PRED2(contains, lines[0], ",after.total,");
  EXPECT_PRED2(contains, lines[0], ",after.resumed_from,");
  const ExperimentPlan planned = plan(text);
  for (int k = 0; k < 2; ++k) {
    const std::string& row = lines[k + 1];
    EXPECT_TRUE(row.starts_with(planned.runs[k].folder_name + ",default,stages.after.steps=" +
                                std::to_string(k + 1) + ",finished,"))
        << row;
  }
  // after.total = its steps + the input's total 3.
  EXPECT_PRED2(contains, lines[1], ",4,");
  EXPECT_PRED2(contains, lines[2], ",5,");
  const std::string markdown = read_file(runs_dir_ / "demo" / "summary.md");
  EXPECT_PRED2(contains, markdown, planned.runs[1].folder_name);
}

TEST_F(RunnerTest, MetricsLinesAreJsonObjectsWithEventAndStage) {
  const std::string text = experiment("steps = 3\n");
  run(text);
  const fs::path run_dir = plan(text).runs[0].dir;
  const std::vector<std::string> run_lines = lines_of(read_file(run_dir / "metrics.jsonl"));
  ASSERT_FALSE(run_lines.empty());
  bool saw_start = false, saw_metrics = false;
  for (const auto& line : run_lines) {
    EXPECT_TRUE(line.starts_with("{\"time\":\"")) << line;
    EXPECT_TRUE(line.ends_with("}")) << line;
    EXPECT_PRED2(contains, line, "\"event\":\"");
    if (contains(line, "\"event\":\"stage_start\"")) {
      saw_start = true;
      EXPECT_PRED2(contains, line, "\"stage\":\"");
    }
    if (contains(line, "\"event\":\"metrics\"") && contains(line, "\"stage\":\"count\"")) {
      saw_metrics = true;
      EXPECT_PRED2(contains, line, "\"steps\":3");
    }
  }
  EXPECT_TRUE(saw_start);
  EXPECT_TRUE(saw_metrics);

  // The stage's own stream holds only its records.
  for (const auto& line : lines_of(read_file(stage_dir(text, "count") / "metrics.jsonl"))) {
    EXPECT_TRUE(line.starts_with("{\"time\":\"")) << line;
    EXPECT_PRED2(contains, line, "\"stage\":\"count\"");
  }
}

TEST_F(RunnerTest, RunsFolderUnderAFileIsAUserErrorNamingThePath) {
  write_file(dir_ / "not-a-folder", "");
  runs_dir_ = dir_ / "not-a-folder" / "runs";
  const ExperimentPlan planned = plan(experiment("steps = 1\n"));
  std::string message;
  try {
    execute(planned);
    ADD_FAILURE() << "no error";
  } catch (const UserError& error) {
    message = error.what();
  }
  EXPECT_PRED2(contains, message,
               "cannot create experiment folder '" + (runs_dir_ / "demo").string() + "'");
  EXPECT_PRED2(contains, message, "--runs-dir");
}

}  // namespace
