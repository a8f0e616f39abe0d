// Training on CUDA (built only against a CUDA libtorch, run only where a GPU is present): bf16
// mixed precision keeps float32 master weights and tracks the float32 loss, the fused AdamW
// kernel matches the portable update, and a checkpoint written from the GPU loads on the CPU.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>

#include "dac/model/crammed_bert.hpp"
#include "dac/train/adamw.hpp"
#include "dac/train/checkpoint.hpp"
#include "dac/train/compute.hpp"
#include "dac/train/gradient_step.hpp"
#include "dac/train/throughput.hpp"
#include "support/test_support.hpp"

namespace dac::train {
namespace {

std::shared_ptr<model::CrammedBert> small_model(std::uint64_t seed) {
  torch::manual_seed(seed);
  model::EncoderSize size;
  size.vocab_size = 512;
  size.hidden = 128;
  size.layers = 2;
  size.heads = 2;
  size.intermediate = 512;
  return std::make_shared<model::CrammedBert>(size);
}

// A quarter of the positions predicted, vocabulary 512.
Batch random_batch(std::int64_t rows, std::int64_t seq_len, std::uint64_t seed) {
  return train::random_mlm_batch(rows, seq_len, 512, 0.25, seed);
}

class CudaTraining : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  }
};

TEST_F(CudaTraining, Bf16StepKeepsFloat32WeightsAndTracksTheFloat32Loss) {
  const Compute gpu = resolve_compute({.device = "cuda", .precision = "bf16"});
  const Compute fp32 = resolve_compute({.device = "cuda", .precision = "fp32"});
  ASSERT_TRUE(gpu.bf16);
  auto mixed = small_model(0);
  auto exact = small_model(0);
  mixed->to(gpu.device);
  exact->to(fp32.device);
  mixed->set_dropout_enabled(false);
  exact->set_dropout_enabled(false);
  AdamW mixed_opt(recipe_parameter_groups(*mixed, 0.01), {});
  AdamW exact_opt(recipe_parameter_groups(*exact, 0.01), {});
  LocalGradients reducer;
  const std::vector<Batch> batches{random_batch(8, 64, 1).pinned()};
  for (int step = 0; step < 5; ++step) {
    const StepResult a = gradient_step(batches, [&](const Batch& b) { return mixed->mlm_loss(b); },
                                       mixed_opt, reducer, gpu, {1e-3, 0.5});
    const StepResult b = gradient_step(batches, [&](const Batch& b) { return exact->mlm_loss(b); },
                                       exact_opt, reducer, fp32, {1e-3, 0.5});
    ASSERT_TRUE(a.applied);
    EXPECT_NEAR(a.loss, b.loss, 0.05) << "step " << step;
  }
  for (const auto& parameter : mixed->parameters())
    EXPECT_EQ(parameter.scalar_type(), torch::kFloat32);
}

TEST_F(CudaTraining, FusedAdamWMatchesThePortableUpdate) {
  // The same gradients (computed once on the CPU) go to both optimizers, so only the update
  // rules are compared: with eps 1e-12, Adam would amplify the tiny differences of two forward
  // passes on different devices.
  auto on_gpu = small_model(0);
  auto on_cpu = small_model(0);
  on_gpu->to(torch::kCUDA);
  AdamW gpu_opt(recipe_parameter_groups(*on_gpu, 0.01), {});
  AdamW cpu_opt(recipe_parameter_groups(*on_cpu, 0.01), {});
  const Batch batch = random_batch(4, 32, 2);
  for (int step = 0; step < 3; ++step) {
    on_cpu->mlm_loss(batch).backward();
    auto gpu_parameters = on_gpu->named_parameters();
    for (const auto& item : on_cpu->named_parameters())
      gpu_parameters[item.key()].mutable_grad() = item.value().grad().to(torch::kCUDA);
    gpu_opt.step(1e-3);
    cpu_opt.step(1e-3);
    gpu_opt.zero_grad();
    cpu_opt.zero_grad();
  }
  auto gpu_parameters = on_gpu->named_parameters();
  for (const auto& item : on_cpu->named_parameters())
    EXPECT_LT((gpu_parameters[item.key()].cpu() - item.value()).abs().max().item<double>(), 1e-5)
        << item.key();
}

TEST_F(CudaTraining, TheDeviceDecidesAndSkipsANonFiniteStep) {
  const Compute fp32 = resolve_compute({.device = "cuda", .precision = "fp32"});
  auto model = small_model(0);
  model->to(fp32.device);
  model->set_dropout_enabled(false);
  AdamW optimizer(recipe_parameter_groups(*model, 0.01), {});
  LocalGradients reducer;
  const std::vector<Batch> batches{random_batch(4, 32, 4)};
  const LossFunction finite = [&](const Batch& b) { return model->mlm_loss(b); };
  const LossFunction poisoned = [&](const Batch& b) {
    return model->mlm_loss(b) * std::numeric_limits<float>::quiet_NaN();
  };
  // A finite step first, so the moments and step counts exist.
  ASSERT_TRUE(gradient_step(batches, finite, optimizer, reducer, fp32, {1e-3, 0.5}).applied);
  QueuedStep bad = queue_gradient_step(batches, poisoned, optimizer, reducer, fp32, {1e-3, 0.5});
  // The next step is queued before the host reads the bad one, as the pretrainer does.
  QueuedStep good = queue_gradient_step(batches, finite, optimizer, reducer, fp32, {1e-3, 0.5});
  EXPECT_TRUE(bad.decided_on_device());
  const StepResult skipped = bad.result();
  EXPECT_FALSE(skipped.applied);
  EXPECT_TRUE(std::isnan(skipped.loss));
  const StepResult applied = good.result();
  EXPECT_TRUE(applied.applied);
  EXPECT_EQ(optimizer.steps_taken(), 2) << "the skipped step is not counted";

  for (const auto& parameter : model->parameters())
    EXPECT_TRUE(torch::isfinite(parameter).all().item<bool>());

  // The same three steps on a twin where the host decides (the CPU): the same weights, up to
  // what two applied Adam steps of lr 1e-3 can differ by across devices.
  auto twin = small_model(0);
  twin->set_dropout_enabled(false);
  AdamW twin_optimizer(recipe_parameter_groups(*twin, 0.01), {});
  const Compute cpu = resolve_compute({.device = "cpu", .precision = "fp32"});
  const LossFunction twin_finite = [&](const Batch& b) { return twin->mlm_loss(b); };
  const LossFunction twin_poisoned = [&](const Batch& b) {
    return twin->mlm_loss(b) * std::numeric_limits<float>::quiet_NaN();
  };
  for (const LossFunction* loss : {&twin_finite, &twin_poisoned, &twin_finite})
    gradient_step(batches, *loss, twin_optimizer, reducer, cpu, {1e-3, 0.5});
  auto gpu_parameters = model->named_parameters();
  for (const auto& item : twin->named_parameters())
    EXPECT_LT((gpu_parameters[item.key()].cpu() - item.value()).abs().max().item<double>(), 2.5e-3)
        << item.key();
}

TEST_F(CudaTraining, AGpuCheckpointLoadsOnTheCpu) {
  test::TempDir dir;
  auto on_gpu = small_model(0);
  on_gpu->to(torch::kCUDA);
  AdamW optimizer(recipe_parameter_groups(*on_gpu, 0.01), {});
  on_gpu->mlm_loss(random_batch(4, 32, 3).to(torch::kCUDA)).backward();
  optimizer.step(1e-3);
  CheckpointMeta meta;
  meta.counters.steps = 1;
  save_checkpoint(dir.path() / "gpu.ckpt", *on_gpu, &optimizer, meta);

  auto on_cpu = small_model(7);
  AdamW cpu_optimizer(recipe_parameter_groups(*on_cpu, 0.01), {});
  const CheckpointMeta loaded = load_checkpoint(dir.path() / "gpu.ckpt", *on_cpu, &cpu_optimizer);
  EXPECT_EQ(loaded.counters.steps, 1);
  auto gpu_parameters = on_gpu->named_parameters();
  for (const auto& item : on_cpu->named_parameters())
    EXPECT_TRUE(torch::equal(gpu_parameters[item.key()].cpu(), item.value())) << item.key();
}

}  // namespace
}  // namespace dac::train
