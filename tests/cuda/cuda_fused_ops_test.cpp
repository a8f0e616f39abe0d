// The fused CUDA kernels (built only against a CUDA libtorch, run only where a GPU is present):
// GELU-GLU, the cross-entropy and the LayerNorm (alone and of a residual sum) agree with torch's
// unfused operations evaluated in float32 on the same inputs, in value and gradient, for float32,
// bf16 and fp16, for widths the kernels vectorise and widths they do not, on misaligned views; and
// a bf16 training step of Crammed BERT gives the same loss and gradients with fused_kernels on and
// off.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "dac/model/crammed_bert.hpp"
#include "dac/model/fused_ops.hpp"
#include "dac/train/compute.hpp"
#include "dac/train/throughput.hpp"

namespace dac::model {
namespace {

constexpr std::int64_t kIgnore = -100;

class CudaFusedOps : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
    if (!fused_cuda_kernels_built())
      GTEST_SKIP() << "this build has no fused CUDA kernels (no CUDA compiler at configure time)";
  }
};

double tolerance(torch::ScalarType type) {
  return type == torch::kFloat32 ? 1e-5 : 2e-2;
}

// Each actual[i] from `first` on within `tol` of expected[i], relative to expected[i]'s largest
// magnitude.
void expect_relatively_close(const std::vector<torch::Tensor>& actual,
                             const std::vector<torch::Tensor>& expected, double tol,
                             std::size_t first = 0) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = first; i < actual.size(); ++i) {
    const torch::Tensor a = actual[i].to(torch::kFloat32), b = expected[i].to(torch::kFloat32);
    const double scale = b.abs().max().item<double>() + 1e-12;
    EXPECT_LT((a - b).abs().max().item<double>() / scale, tol) << "output " << i;
  }
}

// f's value and input gradient for `input` (a leaf of the given type) with upstream weights.
std::pair<torch::Tensor, torch::Tensor> run(
    const torch::Tensor& input, const std::function<torch::Tensor(const torch::Tensor&)>& f,
    const torch::Tensor& upstream) {
  torch::Tensor leaf = input.detach().clone().requires_grad_(true);
  const torch::Tensor value = f(leaf);
  value.backward(upstream.to(value.scalar_type()));
  return {value.detach().to(torch::kFloat32), leaf.grad().to(torch::kFloat32)};
}

TEST_F(CudaFusedOps, GeluGluMatchesTorchForEveryTypeAndWidth) {
  const auto cuda = torch::TensorOptions().device(torch::kCUDA);
  for (torch::ScalarType type : {torch::kFloat32, torch::kBFloat16, torch::kFloat16})
    for (std::int64_t half : {1536, 12, 7}) {
      SCOPED_TRACE(std::string(c10::toString(type)) + " half " + std::to_string(half));
      torch::manual_seed(half);
      // Rows 1.. of a larger tensor: a contiguous view whose start is not 16-byte aligned.
      const torch::Tensor storage = torch::randn({65, 2 * half}, cuda) * 2;
      const torch::Tensor projected = storage.narrow(0, 1, 64).view({4, 16, 2 * half}).to(type);
      const torch::Tensor upstream = torch::randn({4, 16, half}, cuda);
      const auto [fused, fused_grad] = run(
          projected, [](const torch::Tensor& p) { return gelu_glu(p, true); }, upstream);
      const auto [plain, plain_grad] = run(
          projected.to(torch::kFloat32), [](const torch::Tensor& p) { return gelu_glu(p, false); },
          upstream);
      const double tol = tolerance(type);
      EXPECT_TRUE(torch::allclose(fused, plain, tol, tol));
      EXPECT_TRUE(torch::allclose(fused_grad, plain_grad, tol, tol));
    }
}

TEST_F(CudaFusedOps, CrossEntropyMatchesTorchForEveryTypeAndWidth) {
  const auto cuda = torch::TensorOptions().device(torch::kCUDA);
  for (torch::ScalarType type : {torch::kFloat32, torch::kBFloat16, torch::kFloat16})
    for (std::int64_t classes : {32768, 1001}) {
      SCOPED_TRACE(std::string(c10::toString(type)) + " classes " + std::to_string(classes));
      torch::manual_seed(classes);
      const torch::Tensor logits = (torch::randn({96, classes}, cuda) * 4).to(type);
      torch::Tensor targets = torch::randint(0, classes, {96}, cuda.dtype(torch::kInt64));
      targets.narrow(0, 10, 5).fill_(kIgnore);
      const torch::Tensor one = torch::ones({}, cuda);
      const auto [fused, fused_grad] = run(
          logits,
          [&](const torch::Tensor& l) { return cross_entropy_loss(l, targets, kIgnore, true); },
          one);
      const auto [plain, plain_grad] = run(
          logits.to(torch::kFloat32),
          [&](const torch::Tensor& l) { return cross_entropy_loss(l, targets, kIgnore, false); },
          one);
      EXPECT_NEAR(fused.item<double>(), plain.item<double>(), 1e-4 * plain.abs().item<double>());
      // Gradients are about 1/91 at the target and tiny elsewhere: compare on that scale.
      EXPECT_LT((fused_grad - plain_grad).abs().max().item<double>(), tolerance(type) / 91)
          << "largest gradient difference";
      EXPECT_EQ(fused_grad.narrow(0, 10, 5).abs().sum().item<double>(), 0);
    }
}

TEST_F(CudaFusedOps, CrossEntropyReportsANonFiniteLogit) {
  const auto cuda = torch::TensorOptions().device(torch::kCUDA);
  torch::Tensor logits = torch::randn({8, 64}, cuda).to(torch::kBFloat16);
  logits[3][7] = std::numeric_limits<float>::quiet_NaN();
  const torch::Tensor targets = torch::randint(0, 64, {8}, cuda.dtype(torch::kInt64));
  EXPECT_TRUE(std::isnan(cross_entropy_loss(logits, targets, kIgnore, true).item<double>()));
}

TEST_F(CudaFusedOps, LayerNormWritesTheAutocastTypeAndMatchesTorch) {
  const auto cuda = torch::TensorOptions().device(torch::kCUDA);
  const train::Compute bf16 = train::resolve_compute({.device = "cuda", .precision = "bf16"});
  const train::Compute fp32 = train::resolve_compute({.device = "cuda", .precision = "fp32"});
  for (std::int64_t width : {768, 100, 1536})  // 1536: wider than the kernel takes
    for (const train::Compute* compute : {&bf16, &fp32}) {
      SCOPED_TRACE("width " + std::to_string(width) + (compute->bf16 ? " bf16" : " fp32"));
      torch::manual_seed(width);
      const torch::Tensor x = torch::randn({4, 16, width}, cuda) * 3 + 1;
      const torch::Tensor upstream = torch::randn({4, 16, width}, cuda);
      const torch::Tensor weight0 = torch::rand({width}, cuda) + 0.5;
      const torch::Tensor bias0 = torch::randn({width}, cuda);
      auto run = [&](bool fused) {
        torch::Tensor input = x.clone().requires_grad_(true);
        torch::Tensor weight = weight0.clone().requires_grad_(true);
        torch::Tensor bias = bias0.clone().requires_grad_(true);
        torch::Tensor y;
        {
          train::AutocastGuard autocast(*compute);
          y = layer_norm(input, weight, bias, 1e-12, fused);
        }
        y.backward(upstream.to(y.scalar_type()));
        return std::vector<torch::Tensor>{y.detach(), input.grad(), weight.grad(), bias.grad()};
      };
      const std::vector<torch::Tensor> fused = run(true), plain = run(false);
      EXPECT_EQ(fused[0].scalar_type(), compute->bf16 ? torch::kBFloat16 : torch::kFloat32);
      expect_relatively_close(fused, plain, compute->bf16 ? 2e-2 : 1e-4);
    }
}

TEST_F(CudaFusedOps, AddLayerNormMatchesTheSumAndTorchsLayerNorm) {
  const auto cuda = torch::TensorOptions().device(torch::kCUDA);
  const train::Compute bf16 = train::resolve_compute({.device = "cuda", .precision = "bf16"});
  const train::Compute fp32 = train::resolve_compute({.device = "cuda", .precision = "fp32"});
  for (std::int64_t width : {768, 100})
    for (const train::Compute* compute : {&bf16, &fp32}) {
      SCOPED_TRACE("width " + std::to_string(width) + (compute->bf16 ? " bf16" : " fp32"));
      torch::manual_seed(width + 1);
      const torch::Tensor x = torch::randn({4, 16, width}, cuda) * 3 + 1;
      // The branch added to the residual stream comes out of a matmul: in the autocast type.
      const torch::Tensor branch =
          torch::randn({4, 16, width}, cuda).to(compute->bf16 ? torch::kBFloat16 : torch::kFloat32);
      const torch::Tensor normed_upstream = torch::randn({4, 16, width}, cuda);
      const torch::Tensor sum_upstream = torch::randn({4, 16, width}, cuda);
      const torch::Tensor weight0 = torch::rand({width}, cuda) + 0.5;
      const torch::Tensor bias0 = torch::randn({width}, cuda);
      auto run = [&](bool fused) {
        torch::Tensor input = x.clone().requires_grad_(true);
        torch::Tensor addend = branch.clone().requires_grad_(true);
        torch::Tensor weight = weight0.clone().requires_grad_(true);
        torch::Tensor bias = bias0.clone().requires_grad_(true);
        NormedSum out;
        {
          train::AutocastGuard autocast(*compute);
          out = add_layer_norm(input, addend, weight, bias, 1e-12, fused);
        }
        ((out.normed.to(torch::kFloat32) * normed_upstream).sum() + (out.sum * sum_upstream).sum())
            .backward();
        return std::vector<torch::Tensor>{out.sum.detach(), out.normed.detach(), input.grad(),
                                          addend.grad(),    weight.grad(),       bias.grad()};
      };
      const std::vector<torch::Tensor> fused = run(true), plain = run(false);
      EXPECT_EQ(fused[0].scalar_type(), torch::kFloat32);
      EXPECT_EQ(fused[1].scalar_type(), compute->bf16 ? torch::kBFloat16 : torch::kFloat32);
      EXPECT_EQ(fused[3].scalar_type(), branch.scalar_type());
      EXPECT_TRUE(torch::equal(fused[0], plain[0]));  // the sum, in float32 both ways
      expect_relatively_close(fused, plain, compute->bf16 ? 2e-2 : 1e-4, /*first=*/1);
    }
}

TEST_F(CudaFusedOps, Bf16CrammedBertStepIsTheSameWithFusedKernels) {
  const train::Compute gpu = train::resolve_compute({.device = "cuda", .precision = "bf16"});
  EncoderSize size;
  size.vocab_size = 512;
  size.hidden = 128;
  size.layers = 2;
  size.heads = 2;
  size.intermediate = 512;
  std::vector<std::pair<double, std::vector<torch::Tensor>>> results;
  for (bool fused : {false, true}) {
    size.fused_kernels = fused;
    torch::manual_seed(0);
    CrammedBert model(size);
    model.to(gpu.device);
    model.set_dropout_enabled(false);
    const Batch batch = train::random_mlm_batch(8, 64, 512, 0.25, 1).to(gpu.device);
    torch::Tensor loss;
    {
      train::AutocastGuard autocast(gpu);
      loss = model.mlm_loss(batch);
    }
    loss.backward();
    std::vector<torch::Tensor> grads;
    for (const torch::Tensor& p : model.parameters()) grads.push_back(p.grad().to(torch::kCPU));
    results.emplace_back(loss.item<double>(), grads);
  }
  EXPECT_NEAR(results[1].first, results[0].first, 1e-2);
  expect_relatively_close(results[1].second, results[0].second, 5e-2);
}

}  // namespace
}  // namespace dac::model
