// AdamW with named parameter groups. The portable update repeats torch::optim::AdamW's tensor
// operations one parameter at a time; on CUDA with torch 2.x each group runs as one fused kernel.
#include "dac/train/adamw.hpp"

#include <torch/torch.h>

#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>

#include "dac/error.hpp"
#include "dac/torch_version.hpp"
#include "dac/train/tensor_text.hpp"

namespace dac::train {

namespace {

constexpr const char* kStepsKey = "steps";

}  // namespace

std::vector<ParameterGroup> recipe_parameter_groups(const torch::nn::Module& module,
                                                    double weight_decay) {
  ParameterGroup decay{"decay", weight_decay, {}, {}};
  ParameterGroup no_decay{"no_decay", 0.0, {}, {}};
  for (const auto& item : module.named_parameters(/*recurse=*/true)) {
    const torch::Tensor& parameter = item.value();
    if (!parameter.requires_grad()) continue;
    ParameterGroup& group = parameter.dim() >= 2 ? decay : no_decay;
    group.parameter_names.push_back(item.key());
    group.parameters.push_back(parameter);
  }
  return {std::move(decay), std::move(no_decay)};
}

AdamW::AdamW(std::vector<ParameterGroup> groups, AdamWOptions options)
    : groups_(std::move(groups)), options_(options) {
  std::set<std::string> seen;
  for (const ParameterGroup& group : groups_) {
    if (group.parameter_names.size() != group.parameters.size())
      throw std::invalid_argument("parameter group '" + group.name + "' has " +
                                  std::to_string(group.parameter_names.size()) + " names for " +
                                  std::to_string(group.parameters.size()) + " parameters");
    for (const std::string& name : group.parameter_names)
      if (!seen.insert(name).second)
        throw std::invalid_argument("parameter '" + name + "' is in more than one group");
    exp_avg_.emplace_back(group.parameters.size());
    exp_avg_sq_.emplace_back(group.parameters.size());
    parameter_steps_.emplace_back(group.parameters.size(), 0);
    step_tensors_.emplace_back(group.parameters.size());
  }
}

std::vector<torch::Tensor> AdamW::parameters() const {
  std::vector<torch::Tensor> out;
  for (const ParameterGroup& group : groups_)
    for (const torch::Tensor& parameter : group.parameters)
      if (parameter.grad().defined()) out.push_back(parameter);
  return out;
}

void AdamW::zero_grad() {
  for (ParameterGroup& group : groups_)
    for (torch::Tensor& parameter : group.parameters)
      if (parameter.grad().defined()) parameter.mutable_grad().reset();
}

std::vector<std::vector<std::size_t>> AdamW::active_parameters() {
  std::vector<std::vector<std::size_t>> active(groups_.size());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const ParameterGroup& group = groups_[g];
    for (std::size_t i = 0; i < group.parameters.size(); ++i) {
      const torch::Tensor& parameter = group.parameters[i];
      if (!parameter.grad().defined()) continue;
      if (!exp_avg_[g][i].defined()) {
        exp_avg_[g][i] = torch::zeros_like(parameter, torch::MemoryFormat::Preserve);
        exp_avg_sq_[g][i] = torch::zeros_like(parameter, torch::MemoryFormat::Preserve);
      }
      active[g].push_back(i);
    }
  }
  return active;
}

void AdamW::step(double lr) {
  torch::NoGradGuard no_grad;
  ++steps_;
  const std::vector<std::vector<std::size_t>> active = active_parameters();
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (active[g].empty()) continue;
    if (fused_eligible(g, active[g]))
      fused_update(g, active[g], lr, torch::Tensor());
    else
      portable_update(g, active[g], lr);
  }
}

bool AdamW::fused_update_available() {
  torch::NoGradGuard no_grad;
  const std::vector<std::vector<std::size_t>> active = active_parameters();
  bool any = false;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (active[g].empty()) continue;
    if (!fused_eligible(g, active[g])) return false;
    any = true;
  }
  return any;
}

CountedStep AdamW::step_unless(double lr, const torch::Tensor& skip) {
  torch::NoGradGuard no_grad;
  ++steps_;
  CountedStep counted;
  const std::vector<std::vector<std::size_t>> active = active_parameters();
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (active[g].empty()) continue;
    if (!fused_eligible(g, active[g]))
      throw std::logic_error("AdamW::step_unless: group '" + groups_[g].name +
                             "' cannot take the fused update");
    fused_update(g, active[g], lr, skip);
    for (std::size_t i : active[g]) counted.parameters.emplace_back(g, i);
  }
  return counted;
}

void AdamW::uncount(const CountedStep& counted) {
  --steps_;
  for (const auto& [g, i] : counted.parameters) --parameter_steps_[g][i];
}

void AdamW::portable_update(std::size_t g, const std::vector<std::size_t>& active, double lr) {
  ParameterGroup& group = groups_[g];
  const double beta1 = options_.beta1;
  const double beta2 = options_.beta2;
  for (std::size_t i : active) {
    torch::Tensor& parameter = group.parameters[i];
    const torch::Tensor& grad = parameter.grad();
    torch::Tensor& exp_avg = exp_avg_[g][i];
    torch::Tensor& exp_avg_sq = exp_avg_sq_[g][i];
    if (group.weight_decay != 0) parameter.mul_(1 - lr * group.weight_decay);
    const std::int64_t step = ++parameter_steps_[g][i];
    const double bias_correction1 = 1 - std::pow(beta1, static_cast<double>(step));
    const double bias_correction2 = 1 - std::pow(beta2, static_cast<double>(step));
    exp_avg.mul_(beta1).add_(grad, 1 - beta1);
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
    const torch::Tensor denom =
        (exp_avg_sq.sqrt() / std::sqrt(bias_correction2)).add_(options_.eps);
    parameter.addcdiv_(exp_avg, denom, -lr / bias_correction1);
  }
}

// Whether torch has the fused kernel and every tensor of the group's active parameters is a dense
// contiguous CUDA tensor of one floating type.
bool AdamW::fused_eligible(std::size_t g, const std::vector<std::size_t>& active) const {
#if DAC_TORCH_AT_LEAST(2, 0)
  const ParameterGroup& group = groups_[g];
  const torch::Tensor& first = group.parameters[active.front()];
  if (!first.is_cuda() || !first.is_floating_point()) return false;
  for (std::size_t i : active) {
    const torch::Tensor& parameter = group.parameters[i];
    const torch::Tensor& grad = parameter.grad();
    if (!parameter.is_cuda() || parameter.device() != first.device() ||
        parameter.scalar_type() != first.scalar_type() ||
        grad.scalar_type() != first.scalar_type() || grad.device() != first.device() ||
        grad.is_sparse() || !parameter.is_contiguous() || !grad.is_contiguous() ||
        !exp_avg_[g][i].is_contiguous())
      return false;
  }
  return true;
#else
  (void)g;
  (void)active;
  return false;
#endif
}

// One fused kernel over the group's active parameters; with `skip` defined (a float32 scalar on
// their device) the kernel leaves everything unchanged where it is 1, and the device step counts
// are taken back by it, while the host counts the step until uncount().
void AdamW::fused_update(std::size_t g, const std::vector<std::size_t>& active, double lr,
                         const torch::Tensor& skip) {
#if DAC_TORCH_AT_LEAST(2, 0)
  ParameterGroup& group = groups_[g];
  std::vector<torch::Tensor> parameters, grads, exp_avgs, exp_avg_sqs, steps;
  for (std::size_t i : active) {
    torch::Tensor& parameter = group.parameters[i];
    if (!step_tensors_[g][i].defined())
      step_tensors_[g][i] =
          torch::full({}, static_cast<double>(parameter_steps_[g][i]),
                      torch::TensorOptions().dtype(torch::kFloat32).device(parameter.device()));
    ++parameter_steps_[g][i];
    parameters.push_back(parameter);
    grads.push_back(parameter.grad());
    exp_avgs.push_back(exp_avg_[g][i]);
    exp_avg_sqs.push_back(exp_avg_sq_[g][i]);
    steps.push_back(step_tensors_[g][i]);
  }
  at::_foreach_add_(steps, 1);
  const std::vector<torch::Tensor> no_max_exp_avg_sqs;
  c10::optional<torch::Tensor> found_inf;
  if (skip.defined()) found_inf = skip;
  at::_fused_adamw_(parameters, grads, exp_avgs, exp_avg_sqs, no_max_exp_avg_sqs, steps, lr,
                    options_.beta1, options_.beta2, group.weight_decay, options_.eps,
                    /*amsgrad=*/false, /*maximize=*/false, /*grad_scale=*/{}, found_inf);
  if (skip.defined()) at::_foreach_sub_(steps, std::vector<torch::Tensor>(steps.size(), skip));
#else
  (void)g;
  (void)active;
  (void)lr;
  (void)skip;
  throw std::logic_error("AdamW: the fused update needs torch 2.x");
#endif
}

void AdamW::save(torch::serialize::OutputArchive& archive) const {
  torch::NoGradGuard no_grad;
  archive.write(kStepsKey, c10::IValue(steps_));
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const ParameterGroup& group = groups_[g];
    for (std::size_t i = 0; i < group.parameters.size(); ++i) {
      torch::serialize::OutputArchive state;
      const torch::Tensor& parameter = group.parameters[i];
      auto cpu_state = [&](const torch::Tensor& tensor) {
        return tensor.defined()
                   ? tensor.detach().to(torch::kCPU, /*non_blocking=*/false,
                                        /*copy=*/true)
                   : torch::zeros(parameter.sizes(),
                                  parameter.options().device(torch::kCPU).requires_grad(false));
      };
      state.write("exp_avg", cpu_state(exp_avg_[g][i]), /*is_buffer=*/true);
      state.write("exp_avg_sq", cpu_state(exp_avg_sq_[g][i]), /*is_buffer=*/true);
      state.write("step", c10::IValue(parameter_steps_[g][i]));
      archive.write(group.parameter_names[i], state);
    }
  }
}

void AdamW::load(torch::serialize::InputArchive& archive) {
  torch::NoGradGuard no_grad;
  c10::IValue steps;
  if (!archive.try_read(kStepsKey, steps) || !steps.isInt())
    throw UserError("the optimizer state has no step count");

  // Everything is read and checked before any state changes.
  std::set<std::string> known{kStepsKey};
  struct Loaded {
    torch::Tensor exp_avg, exp_avg_sq;
    std::int64_t step = 0;
  };
  std::vector<std::vector<Loaded>> loaded(groups_.size());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const ParameterGroup& group = groups_[g];
    for (std::size_t i = 0; i < group.parameters.size(); ++i) {
      const std::string& name = group.parameter_names[i];
      known.insert(name);
      torch::serialize::InputArchive state;
      if (!archive.try_read(name, state))
        throw UserError("the optimizer state has no entry for parameter '" + name + "'");
      Loaded entry;
      c10::IValue step;
      if (!state.try_read("exp_avg", entry.exp_avg, /*is_buffer=*/true) ||
          !state.try_read("exp_avg_sq", entry.exp_avg_sq, /*is_buffer=*/true) ||
          !state.try_read("step", step) || !step.isInt())
        throw UserError("the optimizer state of parameter '" + name + "' is incomplete");
      entry.step = step.toInt();
      const torch::Tensor& parameter = group.parameters[i];
      for (const torch::Tensor* tensor : {&entry.exp_avg, &entry.exp_avg_sq})
        if (tensor->sizes() != parameter.sizes())
          throw UserError("the optimizer state of parameter '" + name + "' has shape " +
                          shape_text(tensor->sizes()) + ", the parameter has shape " +
                          shape_text(parameter.sizes()));
      loaded[g].push_back(std::move(entry));
    }
  }
  for (const std::string& key : archive.keys())
    if (!known.count(key))
      throw UserError("the optimizer state has parameter '" + key + "', which the model lacks");

  steps_ = steps.toInt();
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (std::size_t i = 0; i < groups_[g].parameters.size(); ++i) {
      const torch::Tensor& parameter = groups_[g].parameters[i];
      Loaded& entry = loaded[g][i];
      auto on_device = [&](const torch::Tensor& tensor) {
        torch::Tensor out = torch::empty_like(parameter, torch::MemoryFormat::Preserve);
        out.copy_(tensor);
        return out;
      };
      exp_avg_[g][i] = on_device(entry.exp_avg);
      exp_avg_sq_[g][i] = on_device(entry.exp_avg_sq);
      parameter_steps_[g][i] = entry.step;
      step_tensors_[g][i] = torch::Tensor();  // rebuilt from parameter_steps_ when needed
    }
  }
}

}  // namespace dac::train
