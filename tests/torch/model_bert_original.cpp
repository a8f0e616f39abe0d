// Tests of the original post-LN BERT encoder: parameter count, post-LN structure, segment ids,
// sparse and dense losses, FLOPs and description.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <memory>

#include "dac/model/bert_original.hpp"

namespace dac::model {
namespace {

EncoderSize small_size() {
  EncoderSize size;
  size.vocab_size = 50;
  size.hidden = 16;
  size.layers = 2;
  size.heads = 2;
  size.intermediate = 32;
  size.max_positions = 20;
  size.type_vocab_size = 2;
  return size;
}

std::shared_ptr<BertOriginal> make_model(bool sparse = false) {
  torch::manual_seed(11);
  auto model = std::make_shared<BertOriginal>(small_size(), sparse);
  model->eval();
  return model;
}

Batch random_batch() {
  torch::manual_seed(12);
  Batch batch;
  batch.input_ids = torch::randint(1, 50, {3, 10}, torch::kLong);
  batch.mlm_positions = torch::tensor({0, 3, 11, 12, 25, 29}, torch::kLong);
  batch.mlm_labels = batch.input_ids.flatten().index_select(0, batch.mlm_positions);
  return batch;
}

TEST(BertOriginal, ParameterCountMatchesTheFormula) {
  auto model = make_model();
  const std::int64_t V = 50, H = 16, L = 2, I = 32, P = 20, S = 2;
  const std::int64_t block =
      (H * 3 * H + 3 * H) + (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H;
  const std::int64_t expected = V * H + P * H + S * H + 2 * H + L * block + (H * H + H) + 2 * H + V;
  EXPECT_EQ(model->parameter_count(), expected);
  auto parameters = model->named_parameters();
  EXPECT_EQ(parameters["blocks.1.qkv.bias"].sizes(), torch::IntArrayRef({48}));
  EXPECT_EQ(parameters["decoder_bias"].sizes(), torch::IntArrayRef({50}));
  EXPECT_TRUE(torch::equal(parameters["decoder_bias"], torch::zeros({50})));
  EXPECT_TRUE(torch::equal(parameters["blocks.0.ffn_in.bias"], torch::zeros({32})));
  EXPECT_TRUE(torch::equal(model->token_embedding->weight[0], torch::zeros({16})));
  EXPECT_TRUE(parameters.contains("type_embedding.weight"));
  EXPECT_TRUE(parameters.contains("head_transform.weight"));
  EXPECT_TRUE(parameters.contains("head_norm.weight"));

  const double flops = model->train_flops_per_token(10, 0.25);
  EXPECT_DOUBLE_EQ(flops, 6.0 * (expected - V * H) + 6.0 * V * H + 12.0 * L * H * 10);
  const ConfigNode description = model->describe();
  EXPECT_EQ(description.find("name")->as_string(), "bert_original");
  EXPECT_FALSE(description.find("sparse_prediction")->as_bool());
  EXPECT_EQ(description.find("type_vocab_size")->as_int(), 2);
  EXPECT_EQ(description.find("parameters")->as_int(), expected);
}

TEST(BertOriginal, EveryBlockEndsInALayerNorm) {
  auto model = make_model();
  torch::manual_seed(13);
  const torch::Tensor x = torch::randn({2, 7, 16}) * 3 + 1;
  for (const auto& block : *model->blocks) {
    const torch::Tensor y = block->as<BertBlockImpl>()->forward(x, torch::Tensor(), false);
    EXPECT_LT(y.mean(-1).abs().max().item<double>(), 1e-5);
    EXPECT_LT((y.var(-1, /*unbiased=*/false) - 1).abs().max().item<double>(), 1e-4);
  }
  const torch::Tensor hidden = model->hidden_states(random_batch());
  EXPECT_LT(hidden.mean(-1).abs().max().item<double>(), 1e-5);
  EXPECT_LT((hidden.var(-1, false) - 1).abs().max().item<double>(), 1e-4);
}

TEST(BertOriginal, SegmentIdsDefaultToZero) {
  auto model = make_model();
  Batch batch = random_batch();
  const torch::Tensor implicit = model->hidden_states(batch);
  batch.token_type_ids = torch::zeros({3, 10}, torch::kLong);
  EXPECT_TRUE(torch::allclose(model->hidden_states(batch), implicit, 1e-6, 1e-6));
  batch.token_type_ids[0][4] = 1;
  EXPECT_FALSE(torch::allclose(model->hidden_states(batch), implicit, 1e-4, 1e-4));
  batch.extras["test/feature"] = torch::ones({3, 10, 16});
  batch.token_type_ids = torch::Tensor();
  EXPECT_TRUE(torch::equal(model->hidden_states(batch), implicit));
}

TEST(BertOriginal, SparseAndDenseLossAgree) {
  auto dense = make_model(false);
  auto sparse = make_model(true);
  const Batch batch = random_batch();
  EXPECT_NEAR(dense->mlm_loss(batch).item<double>(), sparse->mlm_loss(batch).item<double>(), 1e-6);
  EXPECT_EQ(dense->mlm_logits(torch::randn({4, 16})).sizes(), torch::IntArrayRef({4, 50}));
}

TEST(BertOriginal, PaddingDoesNotChangeRealPositions) {
  auto model = make_model();
  Batch batch = random_batch();
  batch.attention_mask = torch::ones({3, 10}, torch::kBool);
  batch.attention_mask[2].narrow(0, 7, 3).fill_(false);
  const torch::Tensor hidden = model->hidden_states(batch);
  Batch alone;
  alone.input_ids = batch.input_ids[2].narrow(0, 0, 7).unsqueeze(0);
  EXPECT_TRUE(
      torch::allclose(hidden[2].narrow(0, 0, 7), model->hidden_states(alone)[0], 1e-5, 1e-5));
}

}  // namespace
}  // namespace dac::model
