// Tests of expanding an experiment file into runs: the precedence of bases, file, variants, sweep
// points and --set overrides; sweep expansion; stage graph and config errors; stage hashes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/experiment.hpp"
#include "dac/plugin_host.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::ConfigError;
using dac::ConfigNode;
using dac::ExperimentPlan;
using dac::ExperimentRequest;
using dac::UserError;
using dac::test::contains;
using dac::test::error_of;
using dac::test::TempDir;
using dac::test::write_file;

// An experiment folder and a plugin host holding the test stages (`counting`, `section_reader`).
class ExperimentTest : public ::testing::Test {
 protected:
  void SetUp() override { host_.load_library(DAC_TEST_PLUGIN_DIR "/good/dac_test_stages.so"); }

  // Writes `text` as `name` in the temporary folder and returns its path.
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    write_file(path, text);
    return path;
  }

  ExperimentPlan plan(const fs::path& file, std::vector<std::string> overrides = {},
                      std::vector<std::string> only = {}) {
    ExperimentRequest request;
    request.file = file;
    request.overrides = std::move(overrides);
    request.only = std::move(only);
    request.runs_dir = dir_ / "runs";
    return dac::plan_experiment(request, host_);
  }

  ExperimentPlan plan_text(const std::string& text, std::vector<std::string> overrides = {}) {
    return plan(write("exp.toml", text), std::move(overrides));
  }

  // The hash of every stage of the only run of `text`, by stage name.
  std::map<std::string, std::string> hashes(const std::string& text,
                                            std::vector<std::string> overrides = {},
                                            const std::string& file_name = "exp.toml") {
    const ExperimentPlan result = plan(write(file_name, text), std::move(overrides));
    EXPECT_EQ(result.runs.size(), 1u);
    std::map<std::string, std::string> by_name;
    for (const auto& stage : result.runs.at(0).stages) by_name[stage.name] = stage.hash;
    return by_name;
  }

  // The plan error of `text` (a ConfigError or other UserError).
  std::string plan_error(const std::string& text, std::vector<std::string> overrides = {}) {
    const fs::path file = write("exp.toml", text);
    return error_of<UserError>([&] { plan(file, overrides); });
  }

  std::string file_position(int line, int column) const {
    return (dir_ / "exp.toml").string() + ":" + std::to_string(line) + ":" + std::to_string(column);
  }

  TempDir dir_;
  dac::PluginHost host_;
};

constexpr const char* kTwoStages = R"([experiment]
name = "demo"
description = "two stages"
seed = 1

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
)";

// The stage named `name` of a run.
const dac::StagePlan& stage_of(const dac::RunPlan& run, const std::string& name) {
  for (const auto& stage : run.stages)
    if (stage.name == name) return stage;
  throw std::runtime_error("no stage " + name);
}

// --- precedence ----------------------------------------------------------------------------

TEST_F(ExperimentTest, EveryLayerOverridesTheOneBelowIt) {
  // Each layer writes the keys of its own layer and of every layer above it, so each key shows
  // whether its own layer beat the ones below.
  write("base.toml",
        "[knobs]\n"
        "from_base = 0\n"
        "from_file = 0\n"
        "from_variant = 0\n"
        "from_sweep = 0\n"
        "from_set = 0\n");
  const fs::path file = write("exp.toml",
                              "base = [\"base.toml\"]\n"
                              "[knobs]\n"
                              "from_file = 1\n"
                              "from_variant = 1\n"
                              "from_sweep = 1\n"
                              "from_set = 1\n"
                              "[variants.v.knobs]\n"
                              "from_variant = 2\n"
                              "from_sweep = 2\n"
                              "from_set = 2\n"
                              "[variants.v.sweep.axes]\n"
                              "knobs.from_sweep = [3, 30]\n"
                              "knobs.from_set = [3, 30]\n");
  const ConfigNode file_config = dac::load_experiment_file(file);
  const ConfigNode config =
      dac::resolve_run_config(file_config, "v", 0, {dac::parse_override("knobs.from_set=4")});

  const auto value = [&](const std::string& key) {
    return config.find_path("knobs." + key)->as_int();
  };
  const auto origin = [&](const std::string& key) {
    return config.find_path("knobs." + key)->origin().str();
  };
  EXPECT_EQ(value("from_base"), 0);
  EXPECT_EQ(origin("from_base"), (dir_ / "base.toml").string() + ":2:13");
  EXPECT_EQ(value("from_file"), 1);
  EXPECT_EQ(origin("from_file"), file_position(3, 13));
  EXPECT_EQ(value("from_variant"), 2);
  EXPECT_EQ(origin("from_variant"), file_position(8, 16));
  EXPECT_EQ(value("from_sweep"), 3);
  EXPECT_EQ(origin("from_sweep"), file_position(12, 21));
  EXPECT_EQ(value("from_set"), 4);
  EXPECT_EQ(origin("from_set"), "--set knobs.from_set=4");

  // The last point of the 2 x 2 grid takes the second value of each axis; --set still wins.
  const ConfigNode second =
      dac::resolve_run_config(file_config, "v", 3, {dac::parse_override("knobs.from_set=4")});
  EXPECT_EQ(second.find_path("knobs.from_sweep")->as_int(), 30);
  EXPECT_EQ(second.find_path("knobs.from_set")->as_int(), 4);

  // The resolved config no longer holds the variants or the sweep.
  EXPECT_FALSE(config.contains("variants"));
  EXPECT_FALSE(config.contains("sweep"));
  EXPECT_FALSE(config.contains("base"));
}

TEST_F(ExperimentTest, LaterOverridesWinOverEarlierOnes) {
  const fs::path file = write("exp.toml", "[knobs]\nx = 1\n");
  const ConfigNode config =
      dac::resolve_run_config(dac::load_experiment_file(file), "default", -1,
                              {dac::parse_override("knobs.x=2"), dac::parse_override("knobs.x=3")});
  EXPECT_EQ(config.find_path("knobs.x")->as_int(), 3);
  EXPECT_EQ(config.find_path("knobs.x")->origin().str(), "--set knobs.x=3");
}

TEST_F(ExperimentTest, SweepPointThatDoesNotExistIsAnError) {
  const fs::path file = write("exp.toml", "[sweep.axes]\n\"knobs.x\" = [1, 2]\n");
  EXPECT_PRED2(contains, error_of<UserError>([&] {
                 dac::resolve_run_config(dac::load_experiment_file(file), "default", 2, {});
               }),
               "sweep point 2 does not exist: variant 'default' has 2 sweep points");
}

// --- variants ------------------------------------------------------------------------------

TEST_F(ExperimentTest, VariantNamesAreInFileOrderOrDefault) {
  EXPECT_EQ(dac::variant_names(dac::parse_toml("[variants.zeta]\n[variants.alpha]\n", "x")),
            (std::vector<std::string>{"zeta", "alpha"}));
  EXPECT_EQ(dac::variant_names(dac::parse_toml("[knobs]\nx = 1\n", "x")),
            (std::vector<std::string>{"default"}));
}

TEST_F(ExperimentTest, AnEmptyVariantsTableMeansTheDefaultRun) {
  const ExperimentPlan result = plan_text(std::string(kTwoStages) + "[variants]\n");
  ASSERT_EQ(result.runs.size(), 1u);
  EXPECT_EQ(result.runs[0].variant, "default");
}

TEST_F(ExperimentTest, UnknownVariantIsAnErrorWithSuggestion) {
  const fs::path file = write("exp.toml", "[variants.short]\n[variants.long]\n");
  const ConfigNode file_config = dac::load_experiment_file(file);
  EXPECT_EQ(error_of<UserError>([&] { dac::resolve_variant(file_config, "shrot"); }),
            "unknown variant 'shrot' (did you mean 'short'?); the experiment defines: short, long");
}

TEST_F(ExperimentTest, OnlyKeepsTheNamedVariants) {
  const fs::path file = write("exp.toml", std::string(kTwoStages) +
                                              "[variants.short]\n[variants.long]\n"
                                              "[variants.huge]\n");
  const ExperimentPlan result = plan(file, {}, {"long"});
  ASSERT_EQ(result.runs.size(), 1u);
  EXPECT_EQ(result.runs[0].variant, "long");
}

TEST_F(ExperimentTest, OnlyWithUnknownVariantNamesItAndSuggests) {
  const fs::path file =
      write("exp.toml", std::string(kTwoStages) + "[variants.short]\n[variants.long]\n");
  EXPECT_EQ(error_of<UserError>([&] { plan(file, {}, {"shrot"}); }),
            "--only names unknown variant 'shrot' (did you mean 'short'?); " + file.string() +
                " defines: short, long");
}

// --- sweeps --------------------------------------------------------------------------------

TEST_F(ExperimentTest, GridSweepTakesEveryCombinationFirstAxisSlowest) {
  const ExperimentPlan result = plan_text(std::string(kTwoStages) +
                                          "[sweep]\n"
                                          "mode = \"grid\"\n"
                                          "[sweep.axes]\n"
                                          "\"stages.count.steps\" = [1, 2]\n"
                                          "train.lr = [0.1, 0.2, 0.3]\n");
  ASSERT_EQ(result.runs.size(), 6u);
  std::vector<std::string> points;
  for (const auto& run : result.runs) {
    points.push_back(std::to_string(stage_of(run, "count").options.find("steps")->as_int()) + "/" +
                     dac::to_json(*run.config.find_path("train.lr")));
  }
  EXPECT_EQ(points,
            (std::vector<std::string>{"1/0.1", "1/0.2", "1/0.3", "2/0.1", "2/0.2", "2/0.3"}));
  for (int k = 0; k < 6; ++k) {
    EXPECT_EQ(result.runs[k].sweep_index, k);
    EXPECT_PRED2(contains, result.runs[k].folder_name, "demo-default-p" + std::to_string(k) + "-");
    ASSERT_EQ(result.runs[k].sweep_point.size(), 2u);
    EXPECT_EQ(result.runs[k].sweep_point[0].first, "stages.count.steps");
    EXPECT_EQ(result.runs[k].sweep_point[1].first, "train.lr");
  }
}

TEST_F(ExperimentTest, ListSweepZipsTheAxes) {
  const ExperimentPlan result = plan_text(std::string(kTwoStages) +
                                          "[sweep]\n"
                                          "mode = \"list\"\n"
                                          "[sweep.axes]\n"
                                          "\"stages.count.steps\" = [1, 2, 3]\n"
                                          "train.lr = [0.1, 0.2, 0.3]\n");
  ASSERT_EQ(result.runs.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(stage_of(result.runs[k], "count").options.find("steps")->as_int(), k + 1);
    EXPECT_DOUBLE_EQ(result.runs[k].config.find_path("train.lr")->as_float(), 0.1 * (k + 1));
  }
}

TEST_F(ExperimentTest, ListSweepWithUnequalAxesNamesBothLengths) {
  const std::string message = plan_error(std::string(kTwoStages) +
                                         "[sweep]\n"
                                         "mode = \"list\"\n"
                                         "[sweep.axes]\n"
                                         "\"stages.count.steps\" = [1, 2]\n"
                                         "train.lr = [0.1, 0.2, 0.3]\n");
  EXPECT_EQ(message, file_position(22, 12) +
                         ": sweep.axes.train.lr: a list sweep needs axes of equal length: "
                         "'stages.count.steps' has 2 values, this one 3");
}

TEST_F(ExperimentTest, SweepAxisMustBeANonEmptyArray) {
  EXPECT_PRED2(contains, plan_error(std::string(kTwoStages) + "[sweep.axes]\ntrain.lr = 0.1\n"),
               file_position(19, 12) +
                   ": sweep.axes.train.lr: expected a non-empty array of the values to "
                   "sweep, got float");
}

TEST_F(ExperimentTest, UnknownSweepModeSuggestsTheClosest) {
  EXPECT_EQ(plan_error(std::string(kTwoStages) +
                       "[sweep]\nmode = \"gird\"\n[sweep.axes]\ntrain.lr = [0.1]\n"),
            file_position(19, 8) +
                ": sweep.mode: 'gird' is not one of: grid, list (did you mean "
                "'grid'?)");
}

TEST_F(ExperimentTest, VariantsTimesSweepPointsInVariantOrder) {
  const ExperimentPlan result = plan_text(std::string(kTwoStages) +
                                          "[variants.a]\n"
                                          "[variants.b.train]\n"
                                          "lr = 0.5\n"
                                          "[sweep.axes]\n"
                                          "\"stages.count.steps\" = [1, 2]\n"
                                          "\"stages.count.label\" = [\"x\", \"y\", \"z\"]\n");
  ASSERT_EQ(result.runs.size(), 12u);
  for (int k = 0; k < 12; ++k) {
    EXPECT_EQ(result.runs[k].variant, k < 6 ? "a" : "b");
    EXPECT_EQ(result.runs[k].sweep_index, k % 6);
  }
  EXPECT_DOUBLE_EQ(result.runs[11].config.find_path("train.lr")->as_float(), 0.5);
  // Every run has its own folder.
  std::vector<std::string> folders;
  for (const auto& run : result.runs) folders.push_back(run.folder_name);
  std::sort(folders.begin(), folders.end());
  EXPECT_EQ(std::unique(folders.begin(), folders.end()), folders.end());
}

// --- named elements ------------------------------------------------------------------------

TEST_F(ExperimentTest, VariantChangesAStageByName) {
  const ExperimentPlan result =
      plan_text(std::string(kTwoStages) + "[variants.short.stages.count]\nsteps = 2\n");
  ASSERT_EQ(result.runs.size(), 1u);
  const ConfigNode& steps = *stage_of(result.runs[0], "count").options.find("steps");
  EXPECT_EQ(steps.as_int(), 2);
  EXPECT_EQ(steps.origin().str(), file_position(19, 9));
  // The other keys of the stage stay as the file wrote them.
  EXPECT_EQ(result.runs[0].stages.size(), 2u);
  EXPECT_EQ(result.runs[0].stages[0].name, "count");
  EXPECT_EQ(result.runs[0].stages[0].kind, "counting");
}

TEST_F(ExperimentTest, SetChangesAStageByName) {
  const ExperimentPlan result =
      plan_text(std::string(kTwoStages) + "[variants.short.stages.count]\nsteps = 2\n",
                {"stages.count.steps=7"});
  const ConfigNode& steps = *stage_of(result.runs[0], "count").options.find("steps");
  EXPECT_EQ(steps.as_int(), 7);
  EXPECT_EQ(steps.origin().str(), "--set stages.count.steps=7");
}

TEST_F(ExperimentTest, SetNamingAnUnknownStageListsTheNames) {
  EXPECT_EQ(plan_error(kTwoStages, {"stages.cuont.steps=7"}),
            "--set stages.cuont.steps=7: stages.cuont: no element of 'stages' is named 'cuont' "
            "(did you mean 'count'?); names: count, reader");
}

TEST_F(ExperimentTest, VariantNamingAnUnknownStageNamesItsPosition) {
  EXPECT_EQ(plan_error(std::string(kTwoStages) + "[variants.short.stages.nope]\nsteps = 2\n"),
            file_position(18, 1) +
                ": stages.nope: no element of 'stages' is named 'nope'; names: count, reader");
}

// --- stage graph and validation errors ------------------------------------------------------

TEST_F(ExperimentTest, InputMustBeAnEarlierStage) {
  EXPECT_EQ(plan_error("[[stages]]\n"
                       "name = \"reader\"\n"
                       "kind = \"section_reader\"\n"
                       "inputs = [\"count\"]\n"
                       "[[stages]]\n"
                       "name = \"count\"\n"
                       "kind = \"counting\"\n"),
            file_position(4, 11) +
                ": stages.reader.inputs: 'count' is not a stage listed before 'reader'; stages "
                "run in file order, so an input must come earlier. Stages before it: (none)");
}

TEST_F(ExperimentTest, MistypedInputSuggestsAnEarlierStage) {
  EXPECT_PRED2(contains,
               plan_error("[[stages]]\n"
                          "name = \"count\"\n"
                          "kind = \"counting\"\n"
                          "[[stages]]\n"
                          "name = \"reader\"\n"
                          "kind = \"section_reader\"\n"
                          "inputs = [\"cuont\"]\n"),
               file_position(7, 11) +
                   ": stages.reader.inputs: 'cuont' is not a stage listed before 'reader' "
                   "(did you mean 'count'?)");
}

TEST_F(ExperimentTest, DuplicateStageNamesAreAnError) {
  EXPECT_EQ(plan_error("[[stages]]\n"
                       "name = \"count\"\n"
                       "kind = \"counting\"\n"
                       "[[stages]]\n"
                       "name = \"count\"\n"
                       "kind = \"counting\"\n"),
            file_position(5, 8) + ": stages[1].name: two stages are named 'count'");
}

TEST_F(ExperimentTest, UnknownStageKindSuggestsTheClosest) {
  const std::string message = plan_error(
      "[[stages]]\n"
      "name = \"count\"\n"
      "kind = \"countng\"\n");
  EXPECT_PRED2(contains, message,
               file_position(3, 8) +
                   ": stages.count.kind: unknown stage plugin 'countng' (did you "
                   "mean 'counting'?); registered stage plugins: counting, "
                   "section_reader.");
}

TEST_F(ExperimentTest, MissingStageKindIsAnError) {
  EXPECT_EQ(plan_error("[experiment]\nseed = 1\n\n[[stages]]\nname = \"count\"\n"),
            file_position(4, 1) + ": stages.count: missing required key 'kind'");
}

TEST_F(ExperimentTest, MissingStagesIsAnErrorWithAnExample) {
  EXPECT_PRED2(contains, plan_error("[train]\nlr = 0.1\n"),
               "the experiment has no [[stages]]; add at least one");
}

TEST_F(ExperimentTest, UnknownTopLevelSectionListsTheValidKeys) {
  EXPECT_PRED2(contains, plan_error(std::string(kTwoStages) + "[trian]\nlr = 0.1\n"),
               file_position(18, 1) +
                   ": trian: unknown top-level key (did you mean 'train'?); valid keys: "
                   "experiment, plugins, stages, train");
}

TEST_F(ExperimentTest, UnknownStageOptionSuggestsTheClosestKey) {
  std::string text = kTwoStages;
  text.replace(text.find("steps = 3"), 9, "stpes = 3");
  EXPECT_EQ(plan_error(text), file_position(12, 9) +
                                  ": stages.count.stpes: unknown key (did you mean 'steps'?); "
                                  "valid keys: steps, fail_at, label");
}

TEST_F(ExperimentTest, WrongTypeNamesExpectedAndActualType) {
  std::string text = kTwoStages;
  text.replace(text.find("steps = 3"), 9, "steps = \"3\"");
  EXPECT_PRED2(contains, plan_error(text),
               file_position(12, 9) + ": stages.count.steps: expected int, got string");
}

TEST_F(ExperimentTest, DeclaredSectionIsValidated) {
  std::string text = kTwoStages;
  text.replace(text.find("lr = 0.01"), 9, "lrr = 0.01");
  EXPECT_PRED2(contains, plan_error(text),
               file_position(7, 7) + ": train.lrr: unknown key (did you mean 'lr'?)");
}

TEST_F(ExperimentTest, WrongTypeFromSetNamesTheOverride) {
  EXPECT_PRED2(contains, plan_error(kTwoStages, {"stages.count.steps=many"}),
               "--set stages.count.steps=many: stages.count.steps: expected int, got "
               "string");
}

// --- hashes --------------------------------------------------------------------------------

TEST_F(ExperimentTest, SameConfigGivesTheSameHashes) {
  const auto first = hashes(kTwoStages);
  const auto second = hashes(kTwoStages);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first.at("count").size(), 16u);
  EXPECT_NE(first.at("count"), first.at("reader"));
  // A value written by --set is the same value as one written in the file.
  std::string without_steps = kTwoStages;
  without_steps.erase(without_steps.find("steps = 3\n"), 10);
  EXPECT_EQ(hashes(without_steps, {"stages.count.steps=3"}), first);
}

TEST_F(ExperimentTest, DefaultsWrittenOutDoNotChangeTheHash) {
  std::string explicit_default = kTwoStages;
  explicit_default.replace(explicit_default.find("steps = 3"), 9, "steps = 3\nfail_at = -1");
  EXPECT_EQ(hashes(explicit_default), hashes(kTwoStages));
}

TEST_F(ExperimentTest, StageOptionChangesItsHashAndDownstream) {
  const auto before = hashes(kTwoStages);
  const auto after = hashes(kTwoStages, {"stages.count.steps=4"});
  EXPECT_NE(after.at("count"), before.at("count"));
  EXPECT_NE(after.at("reader"), before.at("reader"));
}

TEST_F(ExperimentTest, DownstreamOptionLeavesUpstreamHashAlone) {
  const auto before = hashes(kTwoStages);
  const auto after = hashes(kTwoStages, {"train.steps=5"});
  EXPECT_EQ(after.at("count"), before.at("count"));
  EXPECT_NE(after.at("reader"), before.at("reader"));
}

TEST_F(ExperimentTest, DeclaredSectionChangesOnlyTheStageThatReadsIt) {
  const auto before = hashes(kTwoStages);
  const auto after = hashes(kTwoStages, {"train.lr=0.02"});
  EXPECT_EQ(after.at("count"), before.at("count"));
  EXPECT_NE(after.at("reader"), before.at("reader"));
}

TEST_F(ExperimentTest, UnrelatedSectionAndExperimentNameDoNotChangeHashes) {
  const auto before = hashes(kTwoStages);
  std::string renamed = kTwoStages;
  renamed.replace(renamed.find("name = \"demo\""), 13, "name = \"other\"");
  renamed.replace(renamed.find("\"two stages\""), 12, "\"something else\"");
  EXPECT_EQ(hashes(renamed, {}, "renamed.toml"), before);
  // A section the stage does not declare does not enter its hash, even when it is added.
  std::string counting_only =
      "[[stages]]\nname = \"count\"\nkind = \"counting\"\nsteps = 3\n[experiment]\nseed = 1\n";
  EXPECT_EQ(hashes(counting_only).at("count"),
            hashes(counting_only + "[train]\nlr = 0.5\n").at("count"));
}

TEST_F(ExperimentTest, SeedChangesEveryStageHash) {
  const auto before = hashes(kTwoStages);
  const auto after = hashes(kTwoStages, {"experiment.seed=2"});
  EXPECT_NE(after.at("count"), before.at("count"));
  EXPECT_NE(after.at("reader"), before.at("reader"));
}

TEST_F(ExperimentTest, VariantsThatDoNotTouchAStageShareItsHashAndFolder) {
  const ExperimentPlan result =
      plan_text(std::string(kTwoStages) + "[variants.a]\n[variants.b.train]\nlr = 0.5\n");
  ASSERT_EQ(result.runs.size(), 2u);
  EXPECT_EQ(stage_of(result.runs[0], "count").hash, stage_of(result.runs[1], "count").hash);
  EXPECT_EQ(stage_of(result.runs[0], "count").dir, stage_of(result.runs[1], "count").dir);
  EXPECT_NE(stage_of(result.runs[0], "reader").hash, stage_of(result.runs[1], "reader").hash);
  EXPECT_NE(result.runs[0].folder_name, result.runs[1].folder_name);
}

TEST_F(ExperimentTest, PlanNamesFoldersAfterExperimentVariantAndHash) {
  const ExperimentPlan result = plan_text(kTwoStages);
  ASSERT_EQ(result.runs.size(), 1u);
  const dac::RunPlan& run = result.runs[0];
  EXPECT_EQ(result.name, "demo");
  EXPECT_EQ(result.experiment_dir, dir_ / "runs" / "demo");
  EXPECT_EQ(run.folder_name, "demo-default-" + run.hash.substr(0, 10));
  EXPECT_EQ(run.dir, dir_ / "runs" / "demo" / run.folder_name);
  EXPECT_EQ(run.seed, 1u);
  const dac::StagePlan& count = stage_of(run, "count");
  EXPECT_EQ(count.dir, dir_ / "runs" / "stages" / ("counting-" + count.hash));
  EXPECT_EQ(stage_of(run, "reader").inputs, (std::vector<std::string>{"count"}));
}

TEST_F(ExperimentTest, ExperimentNameDefaultsToTheFileName) {
  const ExperimentPlan result =
      plan(write("my-study.toml", "[[stages]]\nname = \"count\"\nkind = \"counting\"\n"));
  EXPECT_EQ(result.name, "my-study");
}

}  // namespace
