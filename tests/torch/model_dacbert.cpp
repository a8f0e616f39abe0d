// Tests of DACBERT's main model and submodels, built through the dac_models plugins: without
// agreement types it is Crammed BERT exactly; every fusion and control trains its own parameters
// and leaves frozen submodels alone; masked tokens never reach the agreement path; the chunk
// helpers pool, gather and shift as documented.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dac/error.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/model/agreement_chunks.hpp"
#include "dac/model/chunk_submodels.hpp"
#include "dac/model/dacbert.hpp"
#include "dac/plugin_host.hpp"
#include "dac/train/adamw.hpp"
#include "support/test_support.hpp"
#include "tiny_pretrained.hpp"

namespace dac::model {
namespace {

using test::contains;

constexpr std::int64_t kRows = 2, kSeq = 10, kVocab = 60, kMaskId = 4;

class DacBertModel : public ::testing::Test {
 protected:
  void SetUp() override {
    host.load_library(std::filesystem::path(DAC_PLUGIN_DIR) / "dac_models.so");
  }

  // A small encoder table; `name` is crammed_bert or dacbert.
  static ConfigNode table(const std::string& name) {
    if (name == "dacbert")
      return test::tiny_dacbert_table({"subject_verb", "determiner_noun"}, kVocab, 16,
                                      /*layers=*/2);
    return test::tiny_encoder_table(name, kVocab, 16, /*layers=*/2);
  }

  std::shared_ptr<Encoder> make(const ConfigNode& options, std::uint64_t seed = 11) {
    torch::manual_seed(seed);
    std::shared_ptr<Encoder> encoder = host.create<Encoder>(options, "model");
    encoder->set_dropout_enabled(false);
    return encoder;
  }

  std::shared_ptr<DacBert> dacbert(const std::string& fusion = "gated_sum",
                                   const std::string& control = "none", bool freeze = true) {
    ConfigNode options = table("dacbert");
    options.set("fusion", ConfigNode::string(fusion));
    options.set("control", ConfigNode::string(control));
    options.set("freeze_submodels", ConfigNode::boolean(freeze));
    return std::dynamic_pointer_cast<DacBert>(make(options));
  }

  // Two rows; position 3 of row 0 is masked (its original id is in mlm_labels). subject_verb:
  // row 0 words at 1, 2, 3 and row 1 at 2, 4; determiner_noun: row 0 at 2, 5 and at 5, 6.
  static Batch batch() {
    torch::manual_seed(5);
    Batch batch;
    batch.input_ids = torch::randint(5, kVocab, {kRows, kSeq}, torch::kInt64);
    batch.mlm_positions = torch::tensor({3}, torch::kInt64);
    batch.mlm_labels = batch.input_ids.flatten().index_select(0, batch.mlm_positions);
    batch.input_ids[0][3] = kMaskId;
    batch.extras[agreement_extra_name("subject_verb")] =
        chunk_positions_tensor({{1, 2, 3}, {kSeq + 2, kSeq + 4}}, 4);
    batch.extras[agreement_extra_name("determiner_noun")] =
        chunk_positions_tensor({{2, 5}, {5, 6}}, 4);
    return batch;
  }

  PluginHost host;
};

TEST_F(DacBertModel, WithoutAgreementTypesItIsExactlyCrammedBert) {
  ConfigNode options = table("dacbert");
  options.set("agreement_types", ConfigNode::array());
  const auto plain = make(table("crammed_bert"));
  const auto dac = make(options);
  EXPECT_EQ(plain->parameter_count(), dac->parameter_count());
  const Batch input = batch();  // its agreement extras are ignored by both
  EXPECT_TRUE(torch::equal(plain->hidden_states(input), dac->hidden_states(input)));
  EXPECT_TRUE(torch::equal(plain->mlm_loss(input), dac->mlm_loss(input)));
  EXPECT_EQ(plain->train_flops_per_token(kSeq, 0.15), dac->train_flops_per_token(kSeq, 0.15));
}

TEST_F(DacBertModel, EveryFusionAndControlTrainsItsOwnParametersAndNotTheFrozenSubmodels) {
  for (const std::string fusion : {"gated_sum", "concat_project"}) {
    for (const std::string control : {"none", "random", "shuffled", "structure_only"}) {
      SCOPED_TRACE(fusion + " / " + control);
      const auto model = dacbert(fusion, control);
      model->train();
      const Batch input = batch();
      const torch::Tensor hidden = model->hidden_states(input);
      EXPECT_EQ(hidden.sizes(), torch::IntArrayRef({kRows, kSeq, 32}));
      (hidden.pow(2).mean() + model->mlm_loss(input)).backward();

      std::map<std::string, bool> has_gradient;
      for (const auto& item : model->named_parameters()) {
        const torch::Tensor& grad = item.value().grad();
        has_gradient[item.key()] = grad.defined() && grad.abs().sum().item<double>() > 0;
      }
      EXPECT_TRUE(has_gradient.at("token_embedding.weight"));
      if (fusion == "gated_sum") {
        EXPECT_TRUE(has_gradient.at("gate_subject_verb"));
        EXPECT_TRUE(has_gradient.at("agreement_projections.1.weight"));
        EXPECT_EQ(model->gate_values(), (std::vector<double>{1.0, 1.0}));
      } else {
        EXPECT_TRUE(has_gradient.at("concat_projection.weight"));
        EXPECT_TRUE(model->gate_values().empty());
      }
      EXPECT_EQ(model->projection_norms().size(), 2u);
      if (control == "structure_only") {
        EXPECT_TRUE(has_gradient.at("structure_vectors"));
        EXPECT_EQ(model->submodel(0), nullptr);
      } else {
        for (const auto& [name, trained] : has_gradient)
          if (name.starts_with("submodel_")) EXPECT_FALSE(trained) << name;
        EXPECT_FALSE(model->submodel(0)->is_training()) << "frozen submodels run without dropout";
      }
    }
  }
}

TEST_F(DacBertModel, TheSubmodelsWorkIsCountedAsExtraFlopsAndGatesAreMonitored) {
  const Batch input = batch();
  // Both types' chunks are 4 wide here: 2 chunks each, so 8 positions per submodel.
  const auto frozen = dacbert();
  const double forward = frozen->submodel(0)->forward_flops_per_position(4);
  ASSERT_GT(forward, 0);
  EXPECT_DOUBLE_EQ(frozen->extra_flops(input), 2 * 8 * forward);
  EXPECT_DOUBLE_EQ(dacbert("gated_sum", "none", false)->extra_flops(input), 3 * 2 * 8 * forward);
  EXPECT_EQ(dacbert("gated_sum", "structure_only")->extra_flops(input), 0);
  Batch without = input;
  without.extras.clear();
  EXPECT_EQ(frozen->extra_flops(without), 0);
  EXPECT_EQ(make(table("crammed_bert"))->extra_flops(input), 0);

  const std::map<std::string, double> values = frozen->monitored_values();
  EXPECT_EQ(values.at("gate/subject_verb"), 1.0);
  EXPECT_GT(values.at("projection_norm/determiner_noun"), 0);
  EXPECT_EQ(values.size(), 4u);
}

TEST_F(DacBertModel, TheAgreementEmbeddingsChangeTheOutput) {
  const auto model = dacbert();
  Batch without = batch();
  without.extras.clear();
  EXPECT_FALSE(torch::allclose(model->hidden_states(batch()), model->hidden_states(without)));
}

TEST_F(DacBertModel, AMaskedTokenNeverReachesTheAgreementPath) {
  const auto model = dacbert();
  const Batch input = batch();
  // The submodels read the masked input: position 3 of row 0 is [MASK] in the chunk too.
  const torch::Tensor ids =
      chunk_token_ids(input.input_ids, input.extras.at(agreement_extra_name("subject_verb")), 0);
  EXPECT_EQ(ids[0][2].item<std::int64_t>(), kMaskId);
  // Changing the original token at the masked position changes nothing in the forward pass.
  Batch other = input;
  other.mlm_labels = (input.mlm_labels + 7).remainder(kVocab - 5) + 5;
  ASSERT_FALSE(torch::equal(other.mlm_labels, input.mlm_labels));
  EXPECT_TRUE(torch::equal(model->hidden_states(input), model->hidden_states(other)));
  // While the token itself, unmasked, would change it.
  Batch unmasked = input;
  unmasked.input_ids = input.input_ids.clone();
  unmasked.input_ids[0][3] = input.mlm_labels[0];
  EXPECT_FALSE(torch::equal(model->hidden_states(input), model->hidden_states(unmasked)));
}

TEST_F(DacBertModel, FrozenSubmodelsStayUnchangedAndUnfrozenOnesTrain) {
  for (const bool freeze : {true, false}) {
    SCOPED_TRACE(freeze ? "frozen" : "unfrozen");
    const auto model = dacbert("gated_sum", "none", freeze);
    model->train();
    std::map<std::string, torch::Tensor> before;
    for (const auto& item : model->named_parameters()) before[item.key()] = item.value().clone();
    train::AdamW optimizer(train::recipe_parameter_groups(*model, 0.01), {});
    for (int step = 0; step < 2; ++step) {
      model->mlm_loss(batch()).backward();
      optimizer.step(1e-2);
      optimizer.zero_grad();
    }
    bool submodel_changed = false;
    for (const auto& item : model->named_parameters()) {
      const bool changed = !torch::equal(before.at(item.key()), item.value());
      if (item.key().starts_with("submodel_")) submodel_changed |= changed;
      if (item.key() == "gate_determiner_noun") EXPECT_TRUE(changed);
    }
    EXPECT_EQ(submodel_changed, !freeze);
  }
}

TEST_F(DacBertModel, TheShuffledControlGivesEachRowAnotherRowsEmbeddings) {
  Batch row_zero_only = batch();
  for (auto& [name, positions] : row_zero_only.extras)
    positions = positions.index_select(0, positions.select(1, 0).lt(kSeq).nonzero().squeeze(1));
  Batch without = row_zero_only;
  without.extras.clear();
  const auto own = dacbert("gated_sum", "none");
  const auto shuffled = dacbert("gated_sum", "shuffled");
  const torch::Tensor plain = own->hidden_states(without);
  const torch::Tensor kept = own->hidden_states(row_zero_only);
  const torch::Tensor moved = shuffled->hidden_states(row_zero_only);
  // none: row 0 changes, row 1 (no chunks) does not; shuffled: the other way round.
  EXPECT_FALSE(torch::equal(kept[0], plain[0]));
  EXPECT_TRUE(torch::equal(kept[1], plain[1]));
  EXPECT_TRUE(torch::equal(moved[0], plain[0]));
  EXPECT_FALSE(torch::equal(moved[1], plain[1]));
}

TEST_F(DacBertModel, OtherSubmodelPluginsAndBadOptions) {
  ConfigNode options = table("dacbert");
  ConfigNode bag = ConfigNode::table();
  bag.set("name", ConfigNode::string("bag_of_embeddings"));
  bag.set("dim", ConfigNode::integer(8));
  options.set("submodel", bag);
  const auto model = std::dynamic_pointer_cast<DacBert>(make(options));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->submodel(1)->embedding_dim(), 8);
  EXPECT_EQ(model->hidden_states(batch()).sizes(), torch::IntArrayRef({kRows, kSeq, 32}));
  EXPECT_EQ(model->describe().find("submodel")->find("vocab_size")->as_int(), kVocab);

  options.set("control", ConfigNode::string("shufled"));
  try {
    make(options);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_PRED2(contains, error.what(), "control");
    EXPECT_PRED2(contains, error.what(), "shuffled");
  }
}

TEST(AgreementChunks, PoolGatherAndShiftAsDocumented) {
  const torch::Tensor positions = chunk_positions_tensor({{0, 1}, {1, 3, 4, 5}}, 3);
  EXPECT_TRUE(torch::equal(positions, torch::tensor({{0, 1, -1}, {1, 3, 4}}, torch::kInt64)));

  const torch::Tensor input_ids = torch::arange(10, 16, torch::kInt64).view({2, 3});
  EXPECT_TRUE(torch::equal(chunk_token_ids(input_ids, positions, 0),
                           torch::tensor({{10, 11, 0}, {11, 13, 14}}, torch::kInt64)));

  // Token 1 is in both chunks: the mean of its two embeddings; tokens 2 and 5 are in none.
  const torch::Tensor embeddings = torch::arange(6, torch::kFloat32).view({2, 3, 1});
  const torch::Tensor pooled = mean_over_chunks(embeddings, positions, 6);
  EXPECT_TRUE(
      torch::allclose(pooled.squeeze(1), torch::tensor({0.0f, 2.0f, 0.0f, 4.0f, 5.0f, 0.0f})));
  EXPECT_TRUE(torch::equal(chunk_membership(positions, 6),
                           torch::tensor({1.0f, 1.0f, 0.0f, 1.0f, 1.0f, 0.0f})));

  EXPECT_TRUE(torch::equal(shift_chunks_to_next_row(positions, 3, 2),
                           torch::tensor({{3, 4, -1}, {4, 0, 1}}, torch::kInt64)));
  EXPECT_TRUE(
      torch::equal(shift_chunks_to_next_row(positions.clamp_max(2), 3, 1), positions.clamp_max(2)));
}

TEST(ChunkSubmodels, BagOfEmbeddingsZeroesPaddingAndSharesTheChunkMean) {
  torch::manual_seed(1);
  BagOfEmbeddings bag(20, 4, 0.02);
  const torch::Tensor ids = torch::tensor({{3, 5, 0}}, torch::kInt64);
  const torch::Tensor out = bag.embed(ids);
  EXPECT_EQ(out.sizes(), torch::IntArrayRef({1, 3, 4}));
  EXPECT_TRUE(torch::equal(out[0][2], torch::zeros({4})));
  // Both positions share the chunk mean, so they differ by their own embeddings alone; a chunk
  // of one token is twice its embedding.
  const torch::Tensor twice_difference = bag.embed(torch::tensor({{3}}, torch::kInt64))[0][0] -
                                         bag.embed(torch::tensor({{5}}, torch::kInt64))[0][0];
  EXPECT_TRUE(torch::allclose(out[0][0] - out[0][1], twice_difference / 2));
  EXPECT_EQ(bag.mlm_logits(out.view({-1, 4})).sizes(), torch::IntArrayRef({3, 20}));
}

}  // namespace
}  // namespace dac::model
