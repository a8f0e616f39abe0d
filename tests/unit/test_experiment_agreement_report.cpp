// The experiment's agreement report: gates and projection norms from each run's pretrain stage
// and probing accuracy from its probe stage, one row per variant.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "dac/glue/experiment_agreement_report.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;
using dac::test::read_file;
using dac::test::write_file;

class ExperimentAgreementReport : public ::testing::Test {
 protected:
  // A run folder whose run.toml lists a pretrain and a probe stage with these results.
  void add_run(const std::string& variant, const std::string& pretrain_result,
               const std::string& probe_result) {
    const fs::path pretrain = dir_ / "stages" / ("pretrain-" + variant);
    const fs::path probe = dir_ / "stages" / ("probe-" + variant);
    write_file(pretrain / "stage.toml", "status = \"finished\"\n[result]\n" + pretrain_result);
    write_file(probe / "stage.toml", "status = \"finished\"\n[result]\n" + probe_result);
    write_file(dir_ / "exp" / ("exp-" + variant) / "run.toml",
               "variant = \"" + variant +
                   "\"\n[[stages]]\nname = \"pretrain\"\nkind = \"pretrain\"\n" + "dir = \"" +
                   pretrain.string() + "\"\n[[stages]]\nname = \"probe\"\n" +
                   "kind = \"probe\"\ndir = \"" + probe.string() + "\"\n");
  }
  dac::test::TempDir dir_;
};

TEST_F(ExperimentAgreementReport, OneRowPerVariantWithGatesNormsAndProbing) {
  add_run("crammed_bert", "steps = 10\nvalidation_loss = 6.5\n",
          "subject_verb = 61.0\ntotal = 55.5\n");
  add_run("dacbert", "steps = 10\ngate_subject_verb = 0.75\nprojection_norm_subject_verb = 1.5\n",
          "subject_verb = 70.0\ntotal = 60.25\n");
  const auto report = dac::glue::write_experiment_agreement_report(
      dir_ / "exp", {"exp-dacbert", "exp-crammed_bert"});
  ASSERT_TRUE(report.has_value());
  const std::string markdown = read_file(*report);
  EXPECT_PRED2(contains, markdown, "gate_subject_verb");
  EXPECT_PRED2(contains, markdown, "probe total");
  EXPECT_PRED2(contains, markdown, "0.75");
  EXPECT_PRED2(contains, markdown, "60.25");
  // Other results (steps, losses) stay out of it.
  EXPECT_FALSE(contains(markdown, "validation_loss"));
  const std::string csv = read_file(dir_ / "exp" / "agreement_report.csv");
  EXPECT_PRED2(contains, csv, "crammed_bert,,,61,55.5");
  EXPECT_PRED2(contains, csv, "dacbert,0.75,1.5,70,60.25");
}

TEST_F(ExperimentAgreementReport, NothingIsWrittenWithoutGatesOrProbing) {
  add_run("crammed_bert", "steps = 10\n", "pairs = 0\n");
  write_file(dir_ / "stages" / "probe-crammed_bert" / "stage.toml", "status = \"failed\"\n");
  EXPECT_FALSE(
      dac::glue::write_experiment_agreement_report(dir_ / "exp", {"exp-crammed_bert"}).has_value());
  EXPECT_FALSE(fs::exists(dir_ / "exp" / "agreement_report.md"));
}

}  // namespace
