// AdamW over named parameter groups, with the recipe's grouping (no weight decay on biases, norm
// weights and scalars). Its state is plain tensors, saved into and restored from checkpoints
// identically on every torch version; on CUDA with torch 2.x the update runs as one fused kernel.
#pragma once

#include <torch/nn/module.h>
#include <torch/serialize/archive.h>
#include <torch/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dac/train/optimizer_settings.hpp"

namespace dac::train {

struct ParameterGroup {
  std::string name;  // "decay", "no_decay", ...
  double weight_decay = 0;
  std::vector<std::string> parameter_names;
  std::vector<torch::Tensor> parameters;
};

// Two groups over the trainable parameters of `module`: "decay" (weights of dimension ≥ 2, with
// `weight_decay`) and "no_decay" (biases, LayerNorm weights, scalars, with 0). Frozen parameters
// (requires_grad false) are left out.
std::vector<ParameterGroup> recipe_parameter_groups(const torch::nn::Module& module,
                                                    double weight_decay);

// The parameters (group, index) whose step counts one update advanced, so that an update the device
// skipped can be taken back on the host.
struct CountedStep {
  std::vector<std::pair<std::size_t, std::size_t>> parameters;
};

class AdamW {
 public:
  AdamW(std::vector<ParameterGroup> groups, AdamWOptions options);

  // One update of every parameter that has a gradient, at learning rate `lr` (decoupled decay:
  // p ← p − lr·wd·p, then the Adam step with bias correction, as torch.optim.AdamW).
  void step(double lr);
  // Whether every parameter with a gradient can take the fused CUDA update (torch 2.x; dense,
  // contiguous, one type per group), which step_unless needs.
  bool fused_update_available();
  // The fused update, left undone by the device itself where `skip` (a float32 scalar on the
  // parameters' device, 1 or 0) is 1, so the host need not wait to decide. The host counts the
  // step as taken; uncount() takes it back once the host has read that it was skipped.
  CountedStep step_unless(double lr, const torch::Tensor& skip);
  void uncount(const CountedStep& counted);
  // Sets every gradient to undefined (set_to_none).
  void zero_grad();

  const std::vector<ParameterGroup>& groups() const { return groups_; }
  std::int64_t steps_taken() const { return steps_; }
  // Every parameter with a defined gradient, over all groups.
  std::vector<torch::Tensor> parameters() const;

  // State (step count, first and second moments per parameter, keyed by parameter name).
  void save(torch::serialize::OutputArchive& archive) const;
  // Throws UserError when the archive's parameter names or shapes do not match the groups.
  void load(torch::serialize::InputArchive& archive);

 private:
  std::vector<ParameterGroup> groups_;
  AdamWOptions options_;
  std::int64_t steps_ = 0;
  std::vector<std::vector<torch::Tensor>> exp_avg_, exp_avg_sq_;  // per group, per parameter
  // Updates applied to each parameter (a parameter without a gradient keeps its count, as in
  // torch), and their copies on the device for the fused kernel (made when first needed).
  std::vector<std::vector<std::int64_t>> parameter_steps_;
  std::vector<std::vector<torch::Tensor>> step_tensors_;

  // Per group, the indices of the parameters with a gradient (their moments made when first
  // needed).
  std::vector<std::vector<std::size_t>> active_parameters();
  bool fused_eligible(std::size_t group, const std::vector<std::size_t>& active) const;
  void fused_update(std::size_t group, const std::vector<std::size_t>& active, double lr,
                    const torch::Tensor& skip);
  void portable_update(std::size_t group, const std::vector<std::size_t>& active, double lr);
};

}  // namespace dac::train
