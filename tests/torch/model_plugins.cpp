// Tests of the dac_models plugin library: the crammed_bert and bert_original encoders built from
// config tables, and their config errors.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <string>

#include "dac/error.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/model/bert_original.hpp"
#include "dac/model/crammed_bert.hpp"
#include "dac/plugin_host.hpp"
#include "support/test_support.hpp"

namespace dac {
namespace {

using test::contains;

class ModelPlugins : public ::testing::Test {
 protected:
  void SetUp() override {
    host.load_library(std::filesystem::path(DAC_PLUGIN_DIR) / "dac_models.so");
  }
  static ConfigNode small(std::int64_t hidden = 64, std::int64_t heads = 4) {
    ConfigNode options = ConfigNode::table();
    options.set("layers", ConfigNode::integer(2));
    options.set("hidden", ConfigNode::integer(hidden));
    options.set("heads", ConfigNode::integer(heads));
    options.set("intermediate", ConfigNode::integer(256));
    options.set("vocab_size", ConfigNode::integer(100));
    return options;
  }
  PluginHost host;
};

TEST_F(ModelPlugins, RegistersBothEncoders) {
  const Registry& registry = host.registry("encoder");
  const PluginInfo* crammed = registry.find("crammed_bert");
  const PluginInfo* original = registry.find("bert_original");
  ASSERT_NE(crammed, nullptr);
  ASSERT_NE(original, nullptr);
  EXPECT_EQ(crammed->spec.version, "1");
  EXPECT_EQ(original->spec.version, "1");
  EXPECT_FALSE(crammed->spec.summary.empty());
  EXPECT_EQ(crammed->spec.schema.find("hidden")->default_value->as_int(), 768);
  EXPECT_EQ(crammed->spec.schema.find("layers")->default_value->as_int(), 16);
  EXPECT_TRUE(crammed->spec.schema.find("sparse_prediction")->default_value->as_bool());
  EXPECT_FALSE(original->spec.schema.find("sparse_prediction")->default_value->as_bool());
  EXPECT_EQ(original->spec.schema.find("max_positions")->default_value->as_int(), 512);
  EXPECT_EQ(original->spec.schema.find("type_vocab_size")->default_value->as_int(), 2);
  EXPECT_EQ(original->spec.schema.find("intermediate")->default_value->as_int(), 3072);
}

TEST_F(ModelPlugins, BuildsCrammedBertFromAConfigTable) {
  torch::manual_seed(0);
  auto encoder = host.create_named<Encoder>("crammed_bert", small(), "encoder");
  EXPECT_EQ(encoder->hidden_size(), 64);
  EXPECT_EQ(encoder->vocab_size(), 100);
  EXPECT_EQ(encoder->max_positions(), 128);
  EXPECT_NE(dynamic_cast<model::CrammedBert*>(encoder.get()), nullptr);
  const ConfigNode description = encoder->describe();
  EXPECT_EQ(description.find("name")->as_string(), "crammed_bert");
  EXPECT_EQ(description.find("layers")->as_int(), 2);
  EXPECT_EQ(description.find("intermediate")->as_int(), 256);

  Batch batch;
  batch.input_ids = torch::randint(1, 100, {2, 16}, torch::kLong);
  batch.mlm_positions = torch::tensor({2, 5, 20}, torch::kLong);
  batch.mlm_labels = torch::tensor({7, 8, 9}, torch::kLong);
  EXPECT_EQ(encoder->hidden_states(batch).sizes(), torch::IntArrayRef({2, 16, 64}));
  EXPECT_TRUE(std::isfinite(encoder->mlm_loss(batch).item<double>()));
}

TEST_F(ModelPlugins, BuildsBertOriginalFromAConfigTable) {
  auto encoder = host.create_named<Encoder>("bert_original", small(), "encoder");
  EXPECT_NE(dynamic_cast<model::BertOriginal*>(encoder.get()), nullptr);
  const ConfigNode description = encoder->describe();
  EXPECT_EQ(description.find("name")->as_string(), "bert_original");
  EXPECT_EQ(description.find("max_positions")->as_int(), 512);
  EXPECT_FALSE(description.find("sparse_prediction")->as_bool());
}

TEST_F(ModelPlugins, BadSizesAreConfigErrorsNamingTheKey) {
  const std::string heads = test::error_of<ConfigError>(
      [&] { host.create_named<Encoder>("crammed_bert", small(65, 4), "encoder"); });
  EXPECT_PRED2(contains, heads, "encoder.hidden");
  EXPECT_PRED2(contains, heads, "multiple of heads");

  ConfigNode odd = small();
  odd.set("intermediate", ConfigNode::integer(255));
  EXPECT_PRED2(contains, test::error_of<ConfigError>([&] {
                 host.create_named<Encoder>("crammed_bert", odd, "encoder");
               }),
               "encoder.intermediate");

  ConfigNode padding = small();
  padding.set("padding_id", ConfigNode::integer(100));
  EXPECT_PRED2(contains, test::error_of<ConfigError>([&] {
                 host.create_named<Encoder>("bert_original", padding, "encoder");
               }),
               "encoder.padding_id");

  ConfigNode unknown = small();
  unknown.set("hiden", ConfigNode::integer(64));
  EXPECT_PRED2(contains, test::error_of<ConfigError>([&] {
                 host.create_named<Encoder>("crammed_bert", unknown, "encoder");
               }),
               "hiden");
}

}  // namespace
}  // namespace dac
