// The gradient step: accumulation over micro-batches, clipping, the non-finite guard and the
// global gradient norm.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>

#include "dac/train/gradient_step.hpp"
#include "train_tiny_encoder.hpp"

namespace dac::train {
namespace {

using test::tiny_batch;
using test::tiny_rows;
using test::TinyEncoder;

// Records the gradients it is asked to reduce (a single worker's "reduction").
class RecordingReducer : public LocalGradients {
 public:
  void reduce(const std::vector<torch::Tensor>& parameters) override {
    grads.clear();
    for (const torch::Tensor& parameter : parameters) grads.push_back(parameter.grad().clone());
  }
  std::vector<torch::Tensor> grads;
};

std::shared_ptr<TinyEncoder> copy_of(const TinyEncoder& source) {
  auto copy = std::make_shared<TinyEncoder>();
  torch::NoGradGuard no_grad;
  auto to = copy->named_parameters();
  for (const auto& item : source.named_parameters()) to[item.key()].copy_(item.value());
  return copy;
}

std::vector<torch::Tensor> snapshot(const torch::nn::Module& module) {
  std::vector<torch::Tensor> out;
  for (const auto& parameter : module.parameters()) out.push_back(parameter.detach().clone());
  return out;
}

bool unchanged(const torch::nn::Module& module, const std::vector<torch::Tensor>& before) {
  const auto now = module.parameters();
  for (std::size_t i = 0; i < now.size(); ++i)
    if (!torch::equal(now[i], before[i])) return false;
  return true;
}

Compute cpu_compute() {
  Compute compute;
  compute.device = torch::kCPU;
  return compute;
}

LossFunction mlm_loss_of(TinyEncoder& encoder) {
  return [&encoder](const Batch& batch) { return encoder.mlm_loss(batch); };
}

TEST(GradientStep, TwoHalfBatchesEqualOneFullBatch) {
  torch::manual_seed(11);
  TinyEncoder whole;
  auto halves = copy_of(whole);
  const Batch batch = tiny_batch(4, 6, 2, 5);
  const StepOptions options{1e-3, 0.0};

  AdamW whole_optimizer(recipe_parameter_groups(whole, 0.01), {});
  RecordingReducer whole_grads;
  const StepResult one = gradient_step({batch}, mlm_loss_of(whole), whole_optimizer, whole_grads,
                                       cpu_compute(), options);

  AdamW halves_optimizer(recipe_parameter_groups(*halves, 0.01), {});
  RecordingReducer halves_grads;
  const StepResult two =
      gradient_step({tiny_rows(batch, 0, 2), tiny_rows(batch, 2, 4)}, mlm_loss_of(*halves),
                    halves_optimizer, halves_grads, cpu_compute(), options);

  EXPECT_TRUE(one.applied);
  EXPECT_TRUE(two.applied);
  EXPECT_NEAR(one.loss, two.loss, 1e-6);
  EXPECT_NEAR(one.grad_norm, two.grad_norm, 1e-6);
  ASSERT_EQ(whole_grads.grads.size(), halves_grads.grads.size());
  ASSERT_FALSE(whole_grads.grads.empty());
  for (std::size_t i = 0; i < whole_grads.grads.size(); ++i)
    EXPECT_LT((whole_grads.grads[i] - halves_grads.grads[i]).abs().max().item<double>(), 1e-6);
  const auto a = whole.parameters();
  const auto b = halves->parameters();
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_LT((a[i] - b[i]).abs().max().item<double>(), 1e-6);
  // Gradients are cleared after the update.
  for (const auto& parameter : whole.parameters()) EXPECT_FALSE(parameter.grad().defined());
}

TEST(GradientStep, LossIsTheMeanOfTheMicroBatchLosses) {
  torch::manual_seed(12);
  TinyEncoder encoder;
  const Batch first = tiny_batch(2, 6, 2, 1);
  const Batch second = tiny_batch(2, 6, 2, 2);
  double expected = 0;
  {
    torch::NoGradGuard no_grad;
    expected =
        (encoder.mlm_loss(first).item<double>() + encoder.mlm_loss(second).item<double>()) / 2;
  }
  AdamW optimizer(recipe_parameter_groups(encoder, 0.01), {});
  LocalGradients local;
  const StepResult result =
      gradient_step({first, second}, mlm_loss_of(encoder), optimizer, local, cpu_compute(), {});
  EXPECT_NEAR(result.loss, expected, 1e-6);
  EXPECT_EQ(optimizer.steps_taken(), 1);
}

TEST(GradientStep, ClippingScalesGradientsToTheClipNorm) {
  torch::manual_seed(13);
  TinyEncoder clipped;
  auto reference = copy_of(clipped);
  const Batch batch = tiny_batch(4, 6, 2, 6);
  const double clip = 0.05;

  AdamW optimizer(recipe_parameter_groups(clipped, 0.01), {});
  RecordingReducer recorded;
  const StepResult result = gradient_step({batch}, mlm_loss_of(clipped), optimizer, recorded,
                                          cpu_compute(), {1e-2, clip});
  ASSERT_TRUE(result.applied);

  double squares = 0;
  for (const auto& grad : recorded.grads) squares += grad.pow(2).sum().item<double>();
  const double norm = std::sqrt(squares);
  EXPECT_NEAR(result.grad_norm, norm, 1e-5 * norm);
  ASSERT_GT(norm, clip);

  // The same update by hand: gradients scaled by clip / (norm + 1e-6), then AdamW.
  AdamW manual(recipe_parameter_groups(*reference, 0.01), {});
  double clipped_squares = 0;
  std::size_t k = 0;
  for (const auto& group : manual.groups()) {
    for (torch::Tensor parameter : group.parameters) {
      const torch::Tensor grad = recorded.grads.at(k++) * (clip / (result.grad_norm + 1e-6));
      clipped_squares += grad.pow(2).sum().item<double>();
      parameter.mutable_grad() = grad;
    }
  }
  EXPECT_LE(std::sqrt(clipped_squares), clip * (1 + 1e-6));
  manual.step(1e-2);
  const auto a = clipped.parameters();
  const auto b = reference->parameters();
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_LT((a[i] - b[i]).abs().max().item<double>(), 1e-6);
}

TEST(GradientStep, NanLossSkipsTheUpdate) {
  torch::manual_seed(14);
  TinyEncoder encoder;
  const auto before = snapshot(encoder);
  AdamW optimizer(recipe_parameter_groups(encoder, 0.01), {});
  LocalGradients local;
  const LossFunction nan_loss = [&](const Batch& batch) {
    return encoder.mlm_loss(batch) * std::numeric_limits<double>::quiet_NaN();
  };
  const StepResult result =
      gradient_step({tiny_batch(2, 6, 2, 3)}, nan_loss, optimizer, local, cpu_compute(), {});
  EXPECT_FALSE(result.applied);
  EXPECT_TRUE(std::isnan(result.loss));
  EXPECT_TRUE(unchanged(encoder, before));
  EXPECT_EQ(optimizer.steps_taken(), 0);
  for (const auto& parameter : encoder.parameters()) EXPECT_FALSE(parameter.grad().defined());
}

TEST(GradientStep, OnTheCpuTheHostDecidesWhenTheStepIsQueued) {
  torch::manual_seed(16);
  TinyEncoder encoder;
  auto twin = copy_of(encoder);
  AdamW optimizer(recipe_parameter_groups(encoder, 0.01), {});
  AdamW twin_optimizer(recipe_parameter_groups(*twin, 0.01), {});
  LocalGradients local;
  const Batch batch = tiny_batch(2, 6, 2, 3);
  QueuedStep queued =
      queue_gradient_step({batch}, mlm_loss_of(encoder), optimizer, local, cpu_compute(), {});
  EXPECT_FALSE(queued.decided_on_device());
  EXPECT_FALSE(optimizer.fused_update_available()) << "no fused update off CUDA";
  // Already applied when queued: the weights equal a waited-for step's.
  EXPECT_FALSE(unchanged(encoder, snapshot(*twin)));
  const StepResult waited =
      gradient_step({batch}, mlm_loss_of(*twin), twin_optimizer, local, cpu_compute(), {});
  EXPECT_TRUE(unchanged(encoder, snapshot(*twin)));
  const StepResult result = queued.result();
  EXPECT_EQ(result.loss, waited.loss);
  EXPECT_EQ(result.grad_norm, waited.grad_norm);
  EXPECT_TRUE(result.applied);
  EXPECT_EQ(optimizer.steps_taken(), 1);
}

TEST(GradientStep, InfiniteGradientSkipsTheUpdate) {
  torch::manual_seed(15);
  TinyEncoder encoder;
  const auto before = snapshot(encoder);
  AdamW optimizer(recipe_parameter_groups(encoder, 0.01), {});
  LocalGradients local;
  // sqrt(x − x) is 0, but its derivative at 0 is infinite: a finite loss, an infinite gradient.
  const LossFunction infinite_gradient = [&](const Batch& batch) {
    const torch::Tensor x = encoder.decoder->bias.sum();
    return encoder.mlm_loss(batch) + torch::sqrt(x - x.detach());
  };
  const StepResult result = gradient_step({tiny_batch(2, 6, 2, 4)}, infinite_gradient, optimizer,
                                          local, cpu_compute(), {});
  EXPECT_FALSE(result.applied);
  EXPECT_TRUE(std::isfinite(result.loss));
  EXPECT_FALSE(std::isfinite(result.grad_norm));
  EXPECT_TRUE(unchanged(encoder, before));
  EXPECT_EQ(optimizer.steps_taken(), 0);
}

TEST(GradientStep, GlobalGradNormCountsUndefinedGradientsAsZero) {
  torch::Tensor a = torch::zeros({2}, torch::requires_grad());
  torch::Tensor b = torch::zeros({3}, torch::requires_grad());
  torch::Tensor c = torch::zeros({1, 1}, torch::requires_grad());
  a.mutable_grad() = torch::tensor({3.0f, 4.0f});
  c.mutable_grad() = torch::tensor({{12.0f}});
  EXPECT_NEAR(global_grad_norm({a, b, c}), 13.0, 1e-6);
  EXPECT_EQ(global_grad_norm({b}), 0.0);
}

}  // namespace
}  // namespace dac::train
