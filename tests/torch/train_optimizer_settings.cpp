// Tests of the optimizer's config keys: each stage's defaults when a table leaves them out, the
// values a table gives, and out-of-range values named with their file, line and key.
#include <gtest/gtest.h>

#include <string>

#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/finetune/glue_finetune.hpp"
#include "dac/options.hpp"
#include "dac/train/optimizer_settings.hpp"
#include "support/test_support.hpp"

namespace {

using dac::ConfigError;
using dac::ConfigNode;
using dac::ConfigSchema;
using dac::test::contains;
using dac::test::error_of;
using dac::train::OptimizerSettings;

OptimizerSettings read(const OptimizerSettings& defaults, const ConfigNode& table) {
  ConfigSchema schema;
  dac::train::add_optimizer_keys(schema, defaults);
  return dac::train::optimizer_settings_from(schema.validate(table, "stages.train"));
}

TEST(OptimizerKeys, AnEmptyTableGivesTheStagesDefaults) {
  const OptimizerSettings pretrain = read(OptimizerSettings{}, ConfigNode::table());
  EXPECT_DOUBLE_EQ(pretrain.adam.beta1, 0.9);
  EXPECT_DOUBLE_EQ(pretrain.adam.beta2, 0.98);
  EXPECT_DOUBLE_EQ(pretrain.adam.eps, 1e-12);
  EXPECT_DOUBLE_EQ(pretrain.weight_decay, 0.01);
  EXPECT_DOUBLE_EQ(pretrain.clip_norm, 0.5);

  // Fine-tuning keeps its own: epsilon 1e-6, no weight decay, no clipping.
  const OptimizerSettings finetune =
      read(dac::finetune::FinetuneSettings{}.optimizer, ConfigNode::table());
  EXPECT_DOUBLE_EQ(finetune.adam.beta2, 0.98);
  EXPECT_DOUBLE_EQ(finetune.adam.eps, 1e-6);
  EXPECT_DOUBLE_EQ(finetune.weight_decay, 0.0);
  EXPECT_DOUBLE_EQ(finetune.clip_norm, 0.0);
}

TEST(OptimizerKeys, ATableSetsEveryValue) {
  const OptimizerSettings settings =
      read(OptimizerSettings{},
           dac::parse_toml("beta1 = 0.8\nbeta2 = 0.95\neps = 1e-8\nweight_decay = 0.1\n"
                           "clip_norm = 0\n",
                           "train.toml"));
  EXPECT_DOUBLE_EQ(settings.adam.beta1, 0.8);
  EXPECT_DOUBLE_EQ(settings.adam.beta2, 0.95);
  EXPECT_DOUBLE_EQ(settings.adam.eps, 1e-8);
  EXPECT_DOUBLE_EQ(settings.weight_decay, 0.1);
  EXPECT_DOUBLE_EQ(settings.clip_norm, 0.0);
}

TEST(OptimizerKeys, OutOfRangeValuesNameTheKeyAndLine) {
  const std::string beta = error_of<ConfigError>([] {
    read(OptimizerSettings{}, dac::parse_toml("eps = 1e-8\nbeta2 = 1.5\n", "train.toml"));
  });
  EXPECT_PRED2(contains, beta, "stages.train.beta2");
  EXPECT_PRED2(contains, beta, "train.toml:2");

  const std::string decay = error_of<ConfigError>(
      [] { read(OptimizerSettings{}, dac::parse_toml("weight_decay = -1\n", "train.toml")); });
  EXPECT_PRED2(contains, decay, "stages.train.weight_decay");
}

}  // namespace
