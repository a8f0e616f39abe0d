// The optimizer step over accumulated micro-batches. The host waits for the device once per
// step: the summed loss and the gradient norm come back together after the last backward pass.
#include "dac/train/gradient_step.hpp"

#include <torch/torch.h>

#include <cmath>

namespace dac::train {

namespace {

// The global L2 norm as a device scalar (float32): one norm per gradient, then the norm of their
// stack, as torch.nn.utils.clip_grad_norm_ computes it.
torch::Tensor grad_norm_tensor(const std::vector<torch::Tensor>& parameters) {
  std::vector<torch::Tensor> grads;
  for (const torch::Tensor& parameter : parameters)
    if (parameter.grad().defined()) grads.push_back(parameter.grad().detach());
  if (grads.empty()) return torch::zeros({}, torch::kFloat32);
  // One multi-tensor kernel on CUDA (a loop over the tensors on the CPU).
  std::vector<torch::Tensor> norms = at::_foreach_norm(grads);
  const torch::Device device = grads.front().device();
  for (torch::Tensor& norm : norms) norm = norm.to(device, torch::kFloat32);
  return torch::stack(norms).norm(2);
}

}  // namespace

double global_grad_norm(const std::vector<torch::Tensor>& parameters) {
  torch::NoGradGuard no_grad;
  return grad_norm_tensor(parameters).item<double>();
}

StepResult gradient_step(const std::vector<Batch>& micro_batches, const LossFunction& loss,
                         AdamW& optimizer, GradientReducer& reducer, const Compute& compute,
                         const StepOptions& options) {
  StepResult result;
  if (micro_batches.empty()) {
    result.applied = false;
    return result;
  }
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

  torch::Tensor norm;
  {
    torch::NoGradGuard no_grad;
    norm = grad_norm_tensor(parameters).to(loss_sum.device());
  }
  const torch::Tensor host = torch::stack({loss_sum / count, norm}).to(torch::kCPU, torch::kDouble);
  result.loss = host[0].item<double>();
  result.grad_norm = host[1].item<double>();
  if (!std::isfinite(result.loss) || !std::isfinite(result.grad_norm)) {
    result.applied = false;
    optimizer.zero_grad();
    return result;
  }
  if (options.clip_norm > 0) {
    // As torch.nn.utils.clip_grad_norm_: scale by clip / (norm + 1e-6) when that is below 1.
    const double coefficient = options.clip_norm / (result.grad_norm + 1e-6);
    if (coefficient < 1) {
      torch::NoGradGuard no_grad;
      std::vector<torch::Tensor> grads;
      grads.reserve(parameters.size());
      for (const torch::Tensor& parameter : parameters) grads.push_back(parameter.grad());
      at::_foreach_mul_(grads, coefficient);  // one launch per chunk of tensors, not per tensor
    }
  }
  optimizer.step(options.lr);
  optimizer.zero_grad();
  return result;
}

}  // namespace dac::train
