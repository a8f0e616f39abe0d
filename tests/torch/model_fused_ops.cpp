// Tests of the fused GELU-GLU and cross-entropy: on the CPU their hand-written backward passes
// (the formulas the CUDA kernels implement) must equal torch's autograd of the unfused forms, and
// an encoder with fused_kernels on must train exactly like one with it off.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "dac/model/bert_original.hpp"
#include "dac/model/crammed_bert.hpp"
#include "dac/model/fused_ops.hpp"
#include "support/test_support.hpp"

namespace dac::model {
namespace {

constexpr std::int64_t kIgnore = -100;

// Value and gradient of sum(f(input) * weights) for a fresh leaf copy of `input`.
std::pair<torch::Tensor, torch::Tensor> value_and_grad(
    const torch::Tensor& input, const std::function<torch::Tensor(const torch::Tensor&)>& f,
    const torch::Tensor& weights) {
  torch::Tensor leaf = input.detach().clone().requires_grad_(true);
  const torch::Tensor value = f(leaf);
  (value * weights).sum().backward();
  return {value.detach(), leaf.grad()};
}

TEST(FusedOps, GeluGluEqualsTheUnfusedFormInValueAndGradient) {
  torch::manual_seed(1);
  const torch::Tensor projected = torch::randn({3, 5, 12}, torch::kDouble) * 2;
  const torch::Tensor upstream = torch::randn({3, 5, 6}, torch::kDouble);
  const auto [fused, fused_grad] = value_and_grad(
      projected, [](const torch::Tensor& p) { return gelu_glu(p, true); }, upstream);
  const auto [plain, plain_grad] = value_and_grad(
      projected, [](const torch::Tensor& p) { return gelu_glu(p, false); }, upstream);
  ASSERT_EQ(fused.sizes(), torch::IntArrayRef({3, 5, 6}));
  EXPECT_TRUE(torch::allclose(fused, plain, 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(fused_grad, plain_grad, 1e-10, 1e-12));
  // The first half is the linear input, the second the gate: gelu(g) * x by hand at one entry.
  const double x = projected[1][2][4].item<double>(), g = projected[1][2][10].item<double>();
  EXPECT_NEAR(fused[1][2][4].item<double>(), 0.5 * g * (1 + std::erf(g / std::sqrt(2.0))) * x,
              1e-12);
}

TEST(FusedOps, GeluGluGradientPassesAFiniteDifferenceCheck) {
  torch::manual_seed(2);
  const torch::Tensor projected = torch::randn({4, 8}, torch::kDouble).requires_grad_(true);
  const torch::Tensor upstream = torch::randn({4, 4}, torch::kDouble);
  (gelu_glu(projected, true) * upstream).sum().backward();
  const torch::Tensor analytic = projected.grad().clone();
  const double step = 1e-6;
  for (std::int64_t i = 0; i < 4; ++i)
    for (std::int64_t j = 0; j < 8; ++j) {
      torch::NoGradGuard no_grad;
      torch::Tensor up = projected.detach().clone(), down = projected.detach().clone();
      up[i][j] += step;
      down[i][j] -= step;
      const double numeric = ((gelu_glu(up, true) * upstream).sum().item<double>() -
                              (gelu_glu(down, true) * upstream).sum().item<double>()) /
                             (2 * step);
      EXPECT_NEAR(analytic[i][j].item<double>(), numeric, 1e-7) << i << "," << j;
    }
}

TEST(FusedOps, GeluGluRejectsAnOddWidth) {
  EXPECT_THROW(gelu_glu(torch::zeros({2, 5}), true), std::invalid_argument);
}

TEST(FusedOps, CrossEntropyEqualsTorchWithIgnoredRows) {
  torch::manual_seed(3);
  const torch::Tensor logits = torch::randn({7, 11}, torch::kDouble) * 3;
  const torch::Tensor targets =
      torch::tensor(std::vector<std::int64_t>{3, kIgnore, 0, 10, kIgnore, 5, 5}, torch::kInt64);
  const torch::Tensor one = torch::ones({}, torch::kDouble);
  const auto [fused, fused_grad] = value_and_grad(
      logits, [&](const torch::Tensor& l) { return cross_entropy_loss(l, targets, kIgnore, true); },
      one);
  const auto [plain, plain_grad] = value_and_grad(
      logits,
      [&](const torch::Tensor& l) { return cross_entropy_loss(l, targets, kIgnore, false); }, one);
  EXPECT_NEAR(fused.item<double>(), plain.item<double>(), 1e-12);
  EXPECT_TRUE(torch::allclose(fused_grad, plain_grad, 1e-10, 1e-12));
  EXPECT_TRUE(fused_grad[1].abs().sum().item<double>() == 0) << "an ignored row gets no gradient";
  // By hand: the mean over the five counted rows of logsumexp - picked logit.
  double expected = 0;
  for (const std::int64_t row : {0, 2, 3, 5, 6}) {
    const std::int64_t target = targets[row].item<std::int64_t>();
    expected +=
        torch::logsumexp(logits[row], 0).item<double>() - logits[row][target].item<double>();
  }
  EXPECT_NEAR(fused.item<double>(), expected / 5, 1e-12);
}

TEST(FusedOps, CrossEntropyInFloat32AndAllIgnoredGivesNaNLikeTorch) {
  torch::manual_seed(4);
  const torch::Tensor logits = torch::randn({4, 9});
  const torch::Tensor targets = torch::tensor({1, 2, 3, 4}, torch::kInt64);
  const torch::Tensor fused = cross_entropy_loss(logits, targets, kIgnore, true);
  EXPECT_EQ(fused.scalar_type(), torch::kFloat32);
  EXPECT_NEAR(fused.item<double>(),
              cross_entropy_loss(logits, targets, kIgnore, false).item<double>(), 1e-6);
  const torch::Tensor none = torch::full({4}, kIgnore, torch::kInt64);
  EXPECT_TRUE(std::isnan(cross_entropy_loss(logits, none, kIgnore, true).item<double>()));
  EXPECT_TRUE(std::isnan(cross_entropy_loss(logits, none, kIgnore, false).item<double>()));
}

TEST(FusedOps, LayerNormEqualsTorchInValueAndGradientsOfInputWeightAndBias) {
  torch::manual_seed(7);
  const torch::Tensor x = torch::randn({2, 5, 8}, torch::kDouble) * 3 + 1;
  const torch::Tensor upstream = torch::randn({2, 5, 8}, torch::kDouble);
  const torch::Tensor initial_weight = torch::rand({8}, torch::kDouble) + 0.5;
  const torch::Tensor initial_bias = torch::randn({8}, torch::kDouble);
  auto run = [&](bool fused) {
    torch::Tensor input = x.clone().requires_grad_(true);
    torch::Tensor weight = initial_weight.clone().requires_grad_(true);
    torch::Tensor bias = initial_bias.clone().requires_grad_(true);
    const torch::Tensor y = layer_norm(input, weight, bias, 1e-12, fused);
    (y * upstream).sum().backward();
    return std::vector<torch::Tensor>{y.detach(), input.grad(), weight.grad(), bias.grad()};
  };
  const std::vector<torch::Tensor> fused = run(true), plain = run(false);
  for (std::size_t i = 0; i < fused.size(); ++i)
    EXPECT_TRUE(torch::allclose(fused[i], plain[i], 1e-10, 1e-12)) << "output " << i;
  // Off CUDA the type stays the input's.
  EXPECT_EQ(fused[0].scalar_type(), torch::kDouble);
}

TEST(FusedOps, AddLayerNormEqualsTheSumAndItsLayerNormWhicheverOutputsAreUsed) {
  torch::manual_seed(8);
  const torch::Tensor x = torch::randn({2, 5, 8}, torch::kDouble) * 3 + 1;
  const torch::Tensor addend = torch::randn({2, 5, 8}, torch::kDouble);
  const torch::Tensor normed_upstream = torch::randn({2, 5, 8}, torch::kDouble);
  const torch::Tensor sum_upstream = torch::randn({2, 5, 8}, torch::kDouble);
  const torch::Tensor initial_weight = torch::rand({8}, torch::kDouble) + 0.5;
  const torch::Tensor initial_bias = torch::randn({8}, torch::kDouble);
  // uses: 1 = the normalised output only, 2 = the sum only, 3 = both.
  auto run = [&](bool fused, int uses) {
    torch::Tensor input = x.clone().requires_grad_(true);
    torch::Tensor extra = addend.clone().requires_grad_(true);
    torch::Tensor weight = initial_weight.clone().requires_grad_(true);
    torch::Tensor bias = initial_bias.clone().requires_grad_(true);
    const NormedSum out = add_layer_norm(input, extra, weight, bias, 1e-12, fused);
    torch::Tensor loss = torch::zeros({}, torch::kDouble);
    if (uses & 1) loss = loss + (out.normed * normed_upstream).sum();
    if (uses & 2) loss = loss + (out.sum * sum_upstream).sum();
    loss.backward();
    auto grad_of = [](const torch::Tensor& t) {
      return t.grad().defined() ? t.grad() : torch::zeros_like(t);
    };
    return std::vector<torch::Tensor>{out.sum.detach(), out.normed.detach(), grad_of(input),
                                      grad_of(extra),   grad_of(weight),     grad_of(bias)};
  };
  for (const int uses : {1, 2, 3}) {
    SCOPED_TRACE("uses " + std::to_string(uses));
    const std::vector<torch::Tensor> fused = run(true, uses), plain = run(false, uses);
    for (std::size_t i = 0; i < fused.size(); ++i)
      EXPECT_TRUE(torch::allclose(fused[i], plain[i], 1e-10, 1e-12)) << "output " << i;
  }
  EXPECT_TRUE(torch::allclose(run(true, 3)[0], x + addend));
  // Without an addend the sum is x itself and the LayerNorm is layer_norm's.
  const NormedSum alone =
      add_layer_norm(x, torch::Tensor(), initial_weight, initial_bias, 1e-12, true);
  EXPECT_TRUE(alone.sum.is_same(x));
  EXPECT_TRUE(torch::allclose(alone.normed,
                              torch::layer_norm(x, {8}, initial_weight, initial_bias, 1e-12)));
}

EncoderSize tiny_size(bool fused) {
  EncoderSize size;
  size.vocab_size = 64;
  size.hidden = 16;
  size.layers = 2;
  size.heads = 2;
  size.intermediate = 24;
  size.max_positions = 12;
  size.fused_kernels = fused;
  return size;
}

Batch tiny_batch() {
  torch::manual_seed(5);
  Batch batch;
  batch.input_ids = torch::randint(1, 64, {3, 12}, torch::kInt64);
  batch.mlm_positions = torch::tensor({0, 5, 13, 20, 30, 35}, torch::kInt64);
  batch.mlm_labels = batch.input_ids.flatten().index_select(0, batch.mlm_positions);
  return batch;
}

// The loss and every parameter's gradient of one forward/backward pass.
template <typename Model>
std::pair<double, std::vector<torch::Tensor>> loss_and_grads(Model& model, const Batch& batch,
                                                             bool fused) {
  model.set_dropout_enabled(false);
  model.zero_grad();
  const torch::Tensor loss = model.mlm_loss(batch);
  const bool fused_node = loss.grad_fn()->name().find("CrossEntropyFunction") != std::string::npos;
  EXPECT_EQ(fused_node, fused) << loss.grad_fn()->name();
  loss.backward();
  std::vector<torch::Tensor> grads;
  for (const torch::Tensor& p : model.parameters()) grads.push_back(p.grad().clone());
  return {loss.item<double>(), grads};
}

template <typename Model>
void expect_same_training_signal(bool sparse) {
  torch::manual_seed(6);
  Model plain(tiny_size(false), sparse);
  torch::manual_seed(6);
  Model fused(tiny_size(true), sparse);
  const Batch batch = tiny_batch();
  const auto [plain_loss, plain_grads] = loss_and_grads(plain, batch, false);
  const auto [fused_loss, fused_grads] = loss_and_grads(fused, batch, true);
  EXPECT_NEAR(fused_loss, plain_loss, 1e-5);
  ASSERT_EQ(fused_grads.size(), plain_grads.size());
  for (std::size_t i = 0; i < plain_grads.size(); ++i)
    EXPECT_TRUE(torch::allclose(fused_grads[i], plain_grads[i], 1e-4, 1e-6)) << "parameter " << i;
}

TEST(FusedOps, CrammedBertTrainsTheSameWithFusedKernels) {
  expect_same_training_signal<CrammedBert>(/*sparse=*/true);
  expect_same_training_signal<CrammedBert>(/*sparse=*/false);
}

TEST(FusedOps, BertOriginalTrainsTheSameWithTheFusedCrossEntropy) {
  expect_same_training_signal<BertOriginal>(/*sparse=*/false);
}

TEST(FusedOps, BenchPretrainMeasuresTheFusedFormByDefaultAndSaysWhichFormItMeasured) {
  const auto fused = test::run_dacrun(test::tiny_bench_pretrain_args("crammed_bert"));
  ASSERT_EQ(fused.exit_code, 0) << fused.out << fused.err;
  EXPECT_PRED2(test::contains, fused.out, "precision=fp32 fused_kernels threads=1");
  const auto plain = test::run_dacrun(
      test::tiny_bench_pretrain_args("crammed_bert", {"--set", "fused_kernels=false"}));
  ASSERT_EQ(plain.exit_code, 0) << plain.out << plain.err;
  EXPECT_PRED2(test::contains, plain.out, "precision=fp32 threads=1");
}

}  // namespace
}  // namespace dac::model
