// The optimizer step over accumulated micro-batches. On CUDA with the fused AdamW kernel the whole
// step, non-finite guard included, is queued without the host waiting, and its loss and gradient
// norm come back when asked for; elsewhere the host reads them after the last backward pass and
// decides there.
#include "dac/train/gradient_step.hpp"

#include <c10/core/Event.h>
#include <c10/core/impl/VirtualGuardImpl.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "dac/torch_version.hpp"

namespace dac::train {

namespace {

// The gradients the parameters have (a parameter the loss did not reach has none).
std::vector<torch::Tensor> gradients(const std::vector<torch::Tensor>& parameters) {
  std::vector<torch::Tensor> grads;
  grads.reserve(parameters.size());
  for (const torch::Tensor& parameter : parameters)
    if (parameter.grad().defined()) grads.push_back(parameter.grad());
  return grads;
}

// The global L2 norm as a device scalar (float32): one norm per gradient, then the norm of their
// stack, as torch.nn.utils.clip_grad_norm_ computes it.
torch::Tensor grad_norm_tensor(const std::vector<torch::Tensor>& parameters) {
  const std::vector<torch::Tensor> grads = gradients(parameters);
  if (grads.empty()) return torch::zeros({}, torch::kFloat32);
  // One multi-tensor kernel on CUDA (a loop over the tensors on the CPU).
  std::vector<torch::Tensor> norms = at::_foreach_norm(grads);
  const torch::Device device = grads.front().device();
  for (torch::Tensor& norm : norms) norm = norm.to(device, torch::kFloat32);
  return torch::stack(norms).norm(2);
}

// The guard, clipping and update without the host waiting: the device computes whether the step
// is finite and the clipping factor, the fused AdamW kernel skips itself on a non-finite step,
// and the loss, norm and skip flag are copied to pinned host memory behind the update.
QueuedStep queue_on_device(const torch::Tensor& mean_loss, const torch::Tensor& norm,
                           const std::vector<torch::Tensor>& parameters, AdamW& optimizer,
                           const StepOptions& options) {
  const torch::Tensor skip =
      torch::logical_not(torch::isfinite(mean_loss) & torch::isfinite(norm)).to(torch::kFloat32);
  if (options.clip_norm > 0) {
    // clip / (norm + 1e-6), capped at 1 (a factor of 1 leaves a gradient exactly as it is).
    const torch::Tensor factor = (options.clip_norm / (norm + 1e-6)).clamp_max(1.0);
    std::vector<torch::Tensor> grads = gradients(parameters);
#if DAC_TORCH_AT_LEAST(2, 1)  // _foreach_mul_ with a tensor factor
    at::_foreach_mul_(grads, factor);
#else
    for (torch::Tensor& grad : grads) grad.mul_(factor);
#endif
  }
  CountedStep counted = optimizer.step_unless(options.lr, skip);
  optimizer.zero_grad();
  torch::Tensor host_values =
      torch::empty({3}, torch::TensorOptions().dtype(torch::kFloat32).pinned_memory(true));
  host_values.copy_(torch::stack({mean_loss, norm, skip}), /*non_blocking=*/true);
  const torch::Device device = mean_loss.device();
  auto copied = std::make_shared<c10::Event>(device.type());
  copied->record(c10::impl::VirtualGuardImpl(device.type()).getStream(device));
  return QueuedStep(std::move(host_values), std::move(copied), &optimizer, std::move(counted));
}

}  // namespace

double global_grad_norm(const std::vector<torch::Tensor>& parameters) {
  torch::NoGradGuard no_grad;
  return grad_norm_tensor(parameters).item<double>();
}

QueuedStep queue_gradient_step(const std::vector<Batch>& micro_batches, const LossFunction& loss,
                               AdamW& optimizer, GradientReducer& reducer, const Compute& compute,
                               const StepOptions& options) {
  if (micro_batches.empty()) return QueuedStep(StepResult{0, 0, false});
  const bool non_blocking = compute.device.is_cuda();
  const double count = static_cast<double>(micro_batches.size());
  torch::Tensor loss_sum;
  Batch current = micro_batches.front().to(compute.device, non_blocking);
  for (std::size_t i = 0; i < micro_batches.size(); ++i) {
    torch::Tensor value;
    {
      AutocastGuard autocast(compute);
      value = loss(current);
    }
    // The next micro-batch's copy is queued before this backward pass, so they overlap.
    Batch next;
    if (i + 1 < micro_batches.size()) next = micro_batches[i + 1].to(compute.device, non_blocking);
    (value / count).backward();
    const torch::Tensor detached = value.detach().to(torch::kFloat32);
    loss_sum = loss_sum.defined() ? loss_sum + detached : detached;
    current = std::move(next);
  }

  std::vector<torch::Tensor> parameters = optimizer.parameters();
  reducer.reduce(parameters);

  torch::NoGradGuard no_grad;
  const torch::Tensor mean_loss = loss_sum / count;
  const torch::Tensor norm = grad_norm_tensor(parameters).to(loss_sum.device());
  if (compute.device.is_cuda() && optimizer.fused_update_available())
    return queue_on_device(mean_loss, norm, parameters, optimizer, options);

  // Elsewhere the host reads the loss and the norm, then decides.
  const torch::Tensor host = torch::stack({mean_loss, norm}).to(torch::kCPU, torch::kDouble);
  StepResult result{host[0].item<double>(), host[1].item<double>(), true};
  if (!std::isfinite(result.loss) || !std::isfinite(result.grad_norm)) {
    result.applied = false;
    optimizer.zero_grad();
    return QueuedStep(result);
  }
  if (options.clip_norm > 0) {
    // As torch.nn.utils.clip_grad_norm_: scale by clip / (norm + 1e-6) when that is below 1.
    const double coefficient = options.clip_norm / (result.grad_norm + 1e-6);
    if (coefficient < 1) at::_foreach_mul_(gradients(parameters), coefficient);
  }
  optimizer.step(options.lr);
  optimizer.zero_grad();
  return QueuedStep(result);
}

StepResult gradient_step(const std::vector<Batch>& micro_batches, const LossFunction& loss,
                         AdamW& optimizer, GradientReducer& reducer, const Compute& compute,
                         const StepOptions& options) {
  return queue_gradient_step(micro_batches, loss, optimizer, reducer, compute, options).result();
}

QueuedStep::QueuedStep(StepResult result) : resolved_(result) {}

QueuedStep::QueuedStep(torch::Tensor host_values, std::shared_ptr<c10::Event> copied,
                       AdamW* optimizer, CountedStep counted)
    : host_values_(std::move(host_values)),
      copied_(std::move(copied)),
      optimizer_(optimizer),
      counted_(std::move(counted)) {}

StepResult QueuedStep::result() {
  if (resolved_) return *resolved_;
  // Waits for this step's copy only; later steps queued behind it keep the device busy.
  while (!copied_->query()) std::this_thread::sleep_for(std::chrono::microseconds(20));
  const float* values = host_values_.data_ptr<float>();
  StepResult result{values[0], values[1], values[2] == 0.0f};
  if (!result.applied) optimizer_->uncount(counted_);
  resolved_ = result;
  return result;
}

}  // namespace dac::train
