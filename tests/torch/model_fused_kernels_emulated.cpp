// The fused CUDA kernels themselves, run on the CPU (tests/support/cuda_emulation.hpp): every
// launcher of fused_kernels.hpp against the same formulas in torch, in float32, bf16 and fp16, at
// widths the kernels vectorise and widths they do not, on misaligned views, with ignored and
// out-of-range targets, and with row counts that leave blocks partly empty.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <numbers>
#include <string>

#include "support/cuda_emulation.hpp"
// Plain C++ under DAC_CUDA_EMULATION.
#include "../../framework/model/cuda/fused_kernels.cu"

namespace dac::model::cuda {
namespace {

const std::vector<std::pair<torch::ScalarType, ElementType>> kTypes = {
    {torch::kFloat32, ElementType::Float32},
    {torch::kBFloat16, ElementType::BFloat16},
    {torch::kFloat16, ElementType::Float16}};

double tolerance(torch::ScalarType type) {
  return type == torch::kFloat32 ? 1e-5 : 1e-2;
}

std::string name_of(torch::ScalarType type) {
  return c10::toString(type);
}

bool close(const torch::Tensor& actual, const torch::Tensor& expected, double tol) {
  return torch::allclose(actual.to(torch::kFloat32), expected.to(torch::kFloat32), tol, tol);
}

// [rows, width] of `type` starting `offset` elements into a fresh buffer (offset 1 misaligns it).
torch::Tensor matrix(std::int64_t rows, std::int64_t width, torch::ScalarType type,
                     std::int64_t offset, double scale = 2.0) {
  const torch::Tensor buffer = (torch::randn({rows * width + offset}) * scale).to(type);
  return buffer.narrow(0, offset, rows * width).view({rows, width});
}

TEST(FusedKernelsEmulated, GeluGluForwardAndBackwardFollowTheFormulas) {
  torch::manual_seed(1);
  for (const auto& [type, element] : kTypes)
    for (std::int64_t half : {24, 7})
      for (std::int64_t offset : {0, 1}) {
        SCOPED_TRACE(name_of(type) + " half " + std::to_string(half) + " offset " +
                     std::to_string(offset));
        const std::int64_t rows = 5;
        const torch::Tensor in = matrix(rows, 2 * half, type, offset);
        torch::Tensor out = torch::empty({rows, half}, in.options());
        ASSERT_EQ(gelu_glu_forward(element, in.data_ptr(), out.data_ptr(), rows, half, nullptr),
                  nullptr);
        const torch::Tensor x = in.narrow(1, 0, half).to(torch::kFloat32);
        const torch::Tensor g = in.narrow(1, half, half).to(torch::kFloat32);
        const torch::Tensor cdf = 0.5 * (1 + torch::erf(g / std::sqrt(2.0)));
        EXPECT_TRUE(close(out, (g * cdf * x).to(type), tolerance(type)));

        const torch::Tensor dy = matrix(rows, half, type, offset, 1.0);
        torch::Tensor grad = torch::empty({rows, 2 * half}, in.options());
        ASSERT_EQ(gelu_glu_backward(element, dy.data_ptr(), in.data_ptr(), grad.data_ptr(), rows,
                                    half, nullptr),
                  nullptr);
        const torch::Tensor up = dy.to(torch::kFloat32);
        const torch::Tensor pdf = torch::exp(-0.5 * g * g) / std::sqrt(2 * std::numbers::pi);
        const torch::Tensor expected = torch::cat({up * g * cdf, up * x * (cdf + g * pdf)}, 1);
        EXPECT_TRUE(close(grad, expected.to(type), tolerance(type)));
      }
}

TEST(FusedKernelsEmulated, CrossEntropyRowsAndGradientFollowTheFormulas) {
  torch::manual_seed(2);
  for (const auto& [type, element] : kTypes)
    for (std::int64_t classes : {64, 37}) {
      SCOPED_TRACE(name_of(type) + " classes " + std::to_string(classes));
      const std::int64_t rows = 5;
      const torch::Tensor logits = matrix(rows, classes, type, 0, 4.0);
      const torch::Tensor targets =
          torch::tensor(std::vector<std::int64_t>{3, -100, 0, classes - 1, classes}, torch::kInt64);
      torch::Tensor lse = torch::empty({rows}), row_loss = torch::empty({rows});
      ASSERT_EQ(cross_entropy_forward(element, logits.data_ptr(), targets.data_ptr<std::int64_t>(),
                                      lse.data_ptr<float>(), row_loss.data_ptr<float>(), rows,
                                      classes, -100, nullptr),
                nullptr);
      const torch::Tensor values = logits.to(torch::kFloat32);
      const torch::Tensor expected_lse = torch::logsumexp(values, 1);
      EXPECT_TRUE(torch::allclose(lse, expected_lse, 1e-5, 1e-5));
      for (std::int64_t row : {0, 2, 3})
        EXPECT_NEAR(
            row_loss[row].item<double>(),
            (expected_lse[row] - values[row][targets[row].item<std::int64_t>()]).item<double>(),
            1e-4);
      EXPECT_EQ(row_loss[1].item<double>(), 0.0) << "ignored row";
      EXPECT_TRUE(std::isnan(row_loss[4].item<double>())) << "target outside the classes";

      const torch::Tensor scale = torch::full({1}, 0.25f);
      torch::Tensor grad = torch::empty_like(logits);
      ASSERT_EQ(cross_entropy_backward(element, logits.data_ptr(), targets.data_ptr<std::int64_t>(),
                                       lse.data_ptr<float>(), scale.data_ptr<float>(),
                                       grad.data_ptr(), rows, classes, -100, nullptr),
                nullptr);
      torch::Tensor expected = torch::softmax(values, 1);
      for (std::int64_t row : {0, 2, 3}) expected[row][targets[row].item<std::int64_t>()] -= 1;
      expected = expected * 0.25;
      expected[1].zero_();
      for (std::int64_t row : {0, 1, 2, 3})
        EXPECT_TRUE(close(grad[row], expected[row].to(type), tolerance(type) / 10)) << row;
    }
}

TEST(FusedKernelsEmulated, LayerNormForwardAndBackwardFollowTheFormulas) {
  torch::manual_seed(3);
  for (const auto& [type, element] : kTypes)
    for (std::int64_t width : {48, 100})
      for (const bool residual : {false, true}) {
        SCOPED_TRACE(name_of(type) + " width " + std::to_string(width) +
                     (residual ? " with an addend and a residual gradient" : ""));
        const std::int64_t rows = 9;  // blocks of four rows: the last one has a single row
        const torch::Tensor x = torch::randn({rows, width}) * 3 + 1;
        const torch::Tensor addend = (torch::randn({rows, width}) * 2).to(type);
        const torch::Tensor weight = torch::rand({width}) + 0.5;
        const torch::Tensor bias = torch::randn({width});
        // What is normalised: x, or x + addend summed in float32 as torch sums the two types.
        const torch::Tensor normalised = residual ? x + addend : x;
        torch::Tensor y = torch::empty({rows, width}, torch::TensorOptions().dtype(type));
        torch::Tensor sum = torch::full({rows, width}, 7.0f);
        torch::Tensor mean = torch::empty({rows}), rstd = torch::empty({rows});
        ASSERT_EQ(
            layer_norm_forward(element, x.data_ptr<float>(), residual ? addend.data_ptr() : nullptr,
                               residual ? sum.data_ptr<float>() : nullptr, weight.data_ptr<float>(),
                               bias.data_ptr<float>(), y.data_ptr(), mean.data_ptr<float>(),
                               rstd.data_ptr<float>(), rows, width, 1e-12, nullptr),
            nullptr);
        if (residual) EXPECT_TRUE(torch::equal(sum, normalised));
        auto [expected_y, expected_mean, expected_rstd] =
            at::native_layer_norm(normalised, {width}, weight, bias, 1e-12);
        EXPECT_TRUE(close(y, expected_y.to(type), tolerance(type)));
        EXPECT_TRUE(torch::allclose(mean, expected_mean.flatten(), 1e-5, 1e-5));
        EXPECT_TRUE(torch::allclose(rstd, expected_rstd.flatten(), 1e-4, 1e-5));

        // Backward against torch's autograd of its own LayerNorm, plus the gradient the
        // normalised rows get by another path when there is one.
        const torch::Tensor dy = torch::randn({rows, width}).to(type);
        const torch::Tensor passed = torch::randn({rows, width});
        torch::Tensor leaf_x = normalised.clone().requires_grad_(true);
        torch::Tensor leaf_w = weight.clone().requires_grad_(true);
        torch::Tensor leaf_b = bias.clone().requires_grad_(true);
        torch::layer_norm(leaf_x, {width}, leaf_w, leaf_b, 1e-12).backward(dy.to(torch::kFloat32));
        const torch::Tensor expected_grad_x = residual ? leaf_x.grad() + passed : leaf_x.grad();
        const std::int64_t blocks = layer_norm_backward_blocks(rows);
        EXPECT_EQ(blocks, 3);
        torch::Tensor grad_x = torch::empty({rows, width});
        torch::Tensor partial_w = torch::full({blocks, width}, 7.0f);
        torch::Tensor partial_b = torch::full({blocks, width}, 7.0f);
        ASSERT_EQ(layer_norm_backward(element, dy.data_ptr(), normalised.data_ptr<float>(),
                                      weight.data_ptr<float>(), mean.data_ptr<float>(),
                                      rstd.data_ptr<float>(),
                                      residual ? passed.data_ptr<float>() : nullptr,
                                      grad_x.data_ptr<float>(), partial_w.data_ptr<float>(),
                                      partial_b.data_ptr<float>(), rows, width, nullptr),
                  nullptr);
        EXPECT_TRUE(torch::allclose(grad_x, expected_grad_x, 1e-4, 1e-4));
        EXPECT_TRUE(torch::allclose(partial_w.sum(0), leaf_w.grad(), 1e-4, 1e-4));
        EXPECT_TRUE(torch::allclose(partial_b.sum(0), leaf_b.grad(), 1e-4, 1e-4));
      }
}

TEST(FusedKernelsEmulated, LayerNormForwardRefusesAnAddendWithoutASum) {
  EXPECT_NE(
      layer_norm_forward(ElementType::Float32, nullptr, reinterpret_cast<const void*>(16), nullptr,
                         nullptr, nullptr, nullptr, nullptr, nullptr, 1, 8, 1e-12, nullptr),
      nullptr);
}

TEST(FusedKernelsEmulated, LayerNormBackwardRefusesRowsWiderThanItHolds) {
  EXPECT_NE(layer_norm_backward(ElementType::Float32, nullptr, nullptr, nullptr, nullptr, nullptr,
                                nullptr, nullptr, nullptr, nullptr, 1,
                                kMaxLayerNormBackwardWidth + 1, nullptr),
            nullptr);
}

}  // namespace
}  // namespace dac::model::cuda
