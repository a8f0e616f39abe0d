// Tests of the attention function (fused and explicit forms, key masks) and of the sparse and
// dense MLM losses.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "dac/model/attention.hpp"
#include "dac/model/mlm_loss.hpp"

namespace dac::model {
namespace {

TEST(Attention, FusedAndReferenceAgree) {
  torch::manual_seed(1);
  const torch::Tensor q = torch::randn({2, 3, 5, 4});
  const torch::Tensor k = torch::randn({2, 3, 5, 4});
  const torch::Tensor v = torch::randn({2, 3, 5, 4});
  torch::Tensor mask = torch::ones({2, 5}, torch::kBool);
  mask[0][4] = false;
  mask[1].narrow(0, 2, 3).fill_(false);
  for (const torch::Tensor& key_mask : {torch::Tensor(), mask}) {
    const torch::Tensor fused = attention(q, k, v, key_mask, 0.0);
    const torch::Tensor reference = attention_reference(q, k, v, key_mask, 0.0);
    ASSERT_EQ(fused.sizes(), torch::IntArrayRef({2, 3, 5, 4}));
    EXPECT_TRUE(torch::allclose(fused, reference, 1e-5, 1e-6));
  }
  SCOPED_TRACE(fused_attention_available() ? "fused kernel" : "explicit form");
}

TEST(Attention, ReferenceIsTheScaledSoftmax) {
  torch::manual_seed(2);
  const torch::Tensor q = torch::randn({1, 1, 3, 4}, torch::kDouble);
  const torch::Tensor k = torch::randn({1, 1, 3, 4}, torch::kDouble);
  const torch::Tensor v = torch::randn({1, 1, 3, 4}, torch::kDouble);
  const torch::Tensor out = attention_reference(q, k, v, torch::Tensor(), 0.0);
  for (int i = 0; i < 3; ++i) {
    double weights[3], total = 0;
    for (int j = 0; j < 3; ++j) {
      weights[j] = std::exp((q[0][0][i] * k[0][0][j]).sum().item<double>() / 2.0);
      total += weights[j];
    }
    for (int e = 0; e < 4; ++e) {
      double expected = 0;
      for (int j = 0; j < 3; ++j) expected += weights[j] / total * v[0][0][j][e].item<double>();
      EXPECT_NEAR(out[0][0][i][e].item<double>(), expected, 1e-12);
    }
  }
}

TEST(Attention, MaskedKeysGetNoWeight) {
  torch::manual_seed(3);
  const torch::Tensor q = torch::randn({2, 2, 6, 8});
  const torch::Tensor k = torch::randn({2, 2, 6, 8});
  const torch::Tensor v = torch::randn({2, 2, 6, 8});
  torch::Tensor mask = torch::ones({2, 6}, torch::kBool);
  mask[1][1] = false;
  mask[1][5] = false;
  torch::Tensor k2 = k.clone(), v2 = v.clone();
  k2[1].select(1, 1).normal_();
  v2[1].select(1, 5).fill_(100.0);
  v2[1].select(1, 1).fill_(-50.0);
  for (auto* f : {&attention, &attention_reference}) {
    const torch::Tensor a = (*f)(q, k, v, mask, 0.0);
    const torch::Tensor b = (*f)(q, k2, v2, mask, 0.0);
    EXPECT_TRUE(torch::allclose(a, b, 1e-6, 1e-6));
    // Without the mask the same change is visible.
    EXPECT_FALSE(torch::allclose((*f)(q, k, v, torch::Tensor(), 0.0),
                                 (*f)(q, k2, v2, torch::Tensor(), 0.0), 1e-3, 1e-3));
  }
  // The weights of the masked keys are exactly zero: with v = one-hot rows, the output is the
  // attention distribution itself.
  const torch::Tensor eye = torch::eye(6).expand({2, 2, 6, 6});
  const torch::Tensor probabilities = attention_reference(q, k, eye, mask, 0.0);
  EXPECT_TRUE(torch::equal(probabilities[1].select(2, 1), torch::zeros({2, 6})));
  EXPECT_TRUE(torch::allclose(probabilities.sum(-1), torch::ones({2, 2, 6})));
}

TEST(Attention, DropoutOnlyWhenAsked) {
  torch::manual_seed(4);
  const torch::Tensor q = torch::randn({1, 2, 16, 8});
  const torch::Tensor a = attention(q, q, q, torch::Tensor(), 0.0);
  EXPECT_TRUE(torch::equal(a, attention(q, q, q, torch::Tensor(), 0.0)));
  EXPECT_FALSE(torch::allclose(a, attention(q, q, q, torch::Tensor(), 0.5)));
}

TEST(Attention, SplitQkvReadsTheHeadsOfEachThirdOfTheProjection) {
  const std::int64_t batch = 2, seq = 3, heads = 2, head_dim = 4, hidden = heads * head_dim;
  const torch::Tensor projection =
      torch::arange(batch * seq * 3 * hidden, torch::kFloat).reshape({batch, seq, 3 * hidden});
  const auto [q, k, v] = split_qkv(projection, heads);
  const torch::Tensor parts[3] = {q, k, v};
  for (int part = 0; part < 3; ++part) {
    ASSERT_EQ(parts[part].sizes(), torch::IntArrayRef({batch, heads, seq, head_dim}));
    for (std::int64_t b = 0; b < batch; ++b)
      for (std::int64_t h = 0; h < heads; ++h)
        for (std::int64_t t = 0; t < seq; ++t)
          for (std::int64_t d = 0; d < head_dim; ++d)
            EXPECT_EQ(parts[part][b][h][t][d].item<float>(),
                      projection[b][t][part * hidden + h * head_dim + d].item<float>());
  }
}

TEST(Attention, SplitQkvBackwardStacksTheThreeGradientsOnce) {
  torch::manual_seed(3);
  const torch::Tensor projection = torch::randn({2, 5, 3 * 8}, torch::requires_grad());
  const auto [q, k, v] = split_qkv(projection, 2);
  // One graph node for all three, not one zero-filled copy of the projection per part.
  EXPECT_EQ(q.grad_fn().get(), k.grad_fn().get());
  EXPECT_EQ(q.grad_fn().get(), v.grad_fn().get());
  EXPECT_NE(q.grad_fn()->name().find("Unbind"), std::string::npos) << q.grad_fn()->name();
  const torch::Tensor weights = torch::randn({3, 2, 2, 5, 4});
  ((q * weights[0]).sum() + (k * weights[1]).sum() + (v * weights[2]).sum()).backward();
  const torch::Tensor expected = weights.permute({1, 3, 0, 2, 4}).reshape({2, 5, 3 * 8});
  EXPECT_TRUE(torch::equal(projection.grad(), expected));
}

TEST(MlmLoss, SparseEqualsDenseRestrictedToMaskedPositions) {
  torch::manual_seed(5);
  const torch::Tensor hidden = torch::randn({3, 7, 6}, torch::kDouble);
  const torch::Tensor weight = torch::randn({11, 6}, torch::kDouble);
  const Decoder decode = [&](const torch::Tensor& h) { return torch::matmul(h, weight.t()); };
  const torch::Tensor positions = torch::tensor({0, 4, 5, 9, 13, 20}, torch::kLong);
  const torch::Tensor labels = torch::tensor({3, 10, 0, 7, 7, 1}, torch::kLong);

  const double sparse = sparse_mlm_loss(hidden, positions, labels, decode).item<double>();
  const double dense = dense_mlm_loss(hidden, positions, labels, decode).item<double>();
  EXPECT_NEAR(sparse, dense, 1e-6);

  // The mean of −log softmax at the labels, by hand.
  double expected = 0;
  const torch::Tensor flat = hidden.flatten(0, 1);
  for (int n = 0; n < 6; ++n) {
    const torch::Tensor logits = decode(flat[positions[n].item<std::int64_t>()]);
    expected += torch::logsumexp(logits, 0).item<double>() -
                logits[labels[n].item<std::int64_t>()].item<double>();
  }
  EXPECT_NEAR(sparse, expected / 6, 1e-10);
}

TEST(MlmLoss, ReducedPrecisionLogitsAreWidened) {
  torch::manual_seed(6);
  const torch::Tensor hidden = torch::randn({2, 4, 8});
  const torch::Tensor weight = torch::randn({5, 8});
  const Decoder decode = [&](const torch::Tensor& h) {
    return torch::matmul(h, weight.t()).to(torch::kBFloat16);
  };
  const torch::Tensor positions = torch::tensor({1, 6}, torch::kLong);
  const torch::Tensor labels = torch::tensor({2, 4}, torch::kLong);
  const torch::Tensor loss = sparse_mlm_loss(hidden, positions, labels, decode);
  EXPECT_EQ(loss.scalar_type(), torch::kFloat32);
  EXPECT_EQ(dense_mlm_loss(hidden, positions, labels, decode).scalar_type(), torch::kFloat32);
}

}  // namespace
}  // namespace dac::model
