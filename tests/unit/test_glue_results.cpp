// Tests of a fine-tuning run's results.json (round trip, errors naming the file and the field),
// of JSON read as a configuration tree, and of the headline metric by name.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "dac/error.hpp"
#include "dac/glue/glue_results.hpp"
#include "dac/json_config.hpp"
#include "support/test_support.hpp"

namespace {

using dac::ConfigNode;
using dac::glue::GlueRunResult;
using dac::test::contains;
using dac::test::error_of;

GlueRunResult sample_run() {
  GlueRunResult run;
  run.model = "dacbert";
  run.task = "mnli";
  run.split = "validation_matched";
  run.headline = "accuracy";
  run.finetune_seed = 3;
  run.pretrain_seed = 1;
  run.metrics = {{"accuracy", 83.25}, {"loss", 0.4375}};
  run.predictions = {0, 2, 1, 1};
  run.gold = {0, 2, 2, 1};
  run.curve = {{1, 0.75, 80.5}, {2, 0.5, 82.0}, {3, 0.25, 83.25}};
  run.pretraining.set("hours", ConfigNode::real(23.5));
  run.pretraining.set("steps", ConfigNode::integer(600000));
  run.pretraining.set("tokens", ConfigNode::real(3.2e9));
  run.pretraining.set("flops", ConfigNode::real(1.25e18));
  run.pretraining.set("device", ConfigNode::string("NVIDIA H100 \"SXM\""));
  ConfigNode agreements = ConfigNode::table();
  agreements.set("extractors", ConfigNode::array());
  agreements.find("extractors")->push_back(ConfigNode::string("subject_verb"));
  agreements.set("enabled", ConfigNode::boolean(true));
  run.pretraining.set("agreements", std::move(agreements));
  run.finetuning.set("lr", ConfigNode::real(4e-5));
  run.finetuning.set("seconds", ConfigNode::real(812.5));
  return run;
}

// Writes the sample run's results.json with `change` applied to its table first.
std::filesystem::path write_changed(const dac::test::TempDir& dir,
                                    const std::function<void(ConfigNode&)>& change) {
  ConfigNode table = dac::glue::to_config(sample_run());
  change(table);
  const auto path = dir / "results.json";
  dac::test::write_file(path, dac::to_json(table));
  return path;
}

TEST(GlueResults, RoundTripKeepsEveryField) {
  dac::test::TempDir dir;
  const GlueRunResult run = sample_run();
  dac::glue::write_glue_run_result(dir / "results.json", run);
  const GlueRunResult back = dac::glue::read_glue_run_result(dir / "results.json");
  EXPECT_EQ(back.model, run.model);
  EXPECT_EQ(back.task, run.task);
  EXPECT_EQ(back.split, run.split);
  EXPECT_EQ(back.headline, run.headline);
  EXPECT_EQ(back.finetune_seed, 3);
  EXPECT_EQ(back.pretrain_seed, 1);
  EXPECT_EQ(back.metrics, run.metrics);
  EXPECT_EQ(back.predictions, run.predictions);
  EXPECT_EQ(back.gold, run.gold);
  ASSERT_EQ(back.curve.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back.curve[i].epoch, run.curve[i].epoch);
    EXPECT_EQ(back.curve[i].train_loss, run.curve[i].train_loss);
    EXPECT_EQ(back.curve[i].dev_score, run.curve[i].dev_score);
  }
  EXPECT_EQ(back.pretraining, run.pretraining);
  EXPECT_EQ(back.finetuning, run.finetuning);
  EXPECT_EQ(back.pretraining.find_path("agreements.extractors")->items().at(0).as_string(),
            "subject_verb");
}

TEST(GlueResults, ANanTrainingLossReadsBackAsNan) {
  dac::test::TempDir dir;
  GlueRunResult run = sample_run();
  run.curve[0].train_loss = std::numeric_limits<double>::quiet_NaN();
  dac::glue::write_glue_run_result(dir / "results.json", run);
  EXPECT_TRUE(
      std::isnan(dac::glue::read_glue_run_result(dir / "results.json").curve[0].train_loss));
}

TEST(GlueResults, AMissingFieldNamesTheFileAndTheField) {
  dac::test::TempDir dir;
  const auto path = write_changed(dir, [](ConfigNode& table) { table.erase("gold"); });
  const std::string message =
      error_of<dac::UserError>([&] { dac::glue::read_glue_run_result(path); });
  EXPECT_PRED2(contains, message, path.string());
  EXPECT_PRED2(contains, message, "missing field 'gold'");
}

TEST(GlueResults, AMistypedNestedFieldNamesItsPath) {
  dac::test::TempDir dir;
  const auto path = write_changed(dir, [](ConfigNode& table) {
    table.find("curve")->items()[1].set("dev_score", ConfigNode::string("high"));
  });
  const std::string message =
      error_of<dac::UserError>([&] { dac::glue::read_glue_run_result(path); });
  EXPECT_PRED2(contains, message, path.string());
  EXPECT_PRED2(contains, message, "curve[1].dev_score");
  EXPECT_PRED2(contains, message, "expected a number, got string");

  const auto pretraining = write_changed(
      dir, [](ConfigNode& table) { table.set("pretraining", ConfigNode::integer(3)); });
  EXPECT_PRED2(contains,
               error_of<dac::UserError>([&] { dac::glue::read_glue_run_result(pretraining); }),
               "field 'pretraining': expected table, got integer");
}

TEST(GlueResults, InconsistentFieldsAreNamed) {
  dac::test::TempDir dir;
  const auto headline = write_changed(
      dir, [](ConfigNode& table) { table.set("headline", ConfigNode::string("f1")); });
  EXPECT_PRED2(contains,
               error_of<dac::UserError>([&] { dac::glue::read_glue_run_result(headline); }),
               "'f1' is not one of the metrics");
  const auto lengths = write_changed(
      dir, [](ConfigNode& table) { table.find("gold")->push_back(ConfigNode::real(1)); });
  EXPECT_PRED2(contains,
               error_of<dac::UserError>([&] { dac::glue::read_glue_run_result(lengths); }),
               "'predictions' and 'gold' differ in length (4 and 5)");
}

TEST(GlueResults, BrokenOrMissingFilesNameThePath) {
  dac::test::TempDir dir;
  dac::test::write_file(dir / "results.json", "{\"model\": \"dacbert\",");
  const std::string broken =
      error_of<dac::UserError>([&] { dac::glue::read_glue_run_result(dir / "results.json"); });
  EXPECT_PRED2(contains, broken, (dir / "results.json").string());
  EXPECT_PRED2(contains, broken, "JSON syntax error at byte");
  const std::string missing =
      error_of<dac::UserError>([&] { dac::glue::read_glue_run_result(dir / "absent.json"); });
  EXPECT_PRED2(contains, missing, (dir / "absent.json").string());
}

TEST(GlueResults, JsonReadsAsAConfigTreeRememberingItsSource) {
  const ConfigNode node =
      dac::parse_json_config(R"({"a": 1, "b": [2.5, "x", null], "c": {"d": true}})", "f.json");
  EXPECT_EQ(node.find("a")->as_int(), 1);
  EXPECT_EQ(node.find("b")->items()[0].as_float(), 2.5);
  EXPECT_EQ(node.find("b")->items()[1].as_string(), "x");
  EXPECT_TRUE(std::isnan(node.find("b")->items()[2].as_float()));
  EXPECT_TRUE(node.find_path("c.d")->as_bool());
  EXPECT_EQ(node.keys(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(node.find_path("c.d")->origin().str(), "f.json");
}

TEST(GlueResults, MetricPercentScoresByName) {
  const std::vector<double> predicted = {1, 0, 1, 1}, gold = {1, 1, 1, 1};
  EXPECT_DOUBLE_EQ(dac::glue::metric_percent("accuracy", predicted, gold), 75);
  EXPECT_NEAR(dac::glue::metric_percent("f1", predicted, gold), 100 * 6.0 / 7.0, 1e-9);
  EXPECT_NEAR(dac::glue::metric_percent("pearson", {1, 2, 3}, {2, 4, 6}), 100, 1e-9);
  EXPECT_NEAR(dac::glue::metric_percent("spearman", {1, 2, 3}, {1, 4, 9}), 100, 1e-9);
  EXPECT_NEAR(dac::glue::metric_percent("matthews", {0, 1, 0, 1}, {0, 1, 0, 1}), 100, 1e-9);
  EXPECT_PRED2(contains,
               error_of<dac::UserError>([] { dac::glue::metric_percent("bleu", {1}, {1}); }),
               "unknown GLUE metric 'bleu'");
}

}  // namespace
