// One optimizer step from a list of micro-batches: forward and backward of each (losses scaled
// by 1/count so gradients average), gradient reduction across workers, the non-finite guard,
// global-norm clipping and the AdamW update. The reduction is the one seam data-parallel
// training plugs into (a process-group reducer averages gradients over ranks).
#pragma once

#include <torch/types.h>

namespace c10 {
struct Event;
}

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "dac/kinds/encoder.hpp"
#include "dac/train/adamw.hpp"
#include "dac/train/compute.hpp"

namespace dac::train {

class GradientReducer {
 public:
  virtual ~GradientReducer() = default;
  // Makes every worker's gradients equal to their mean over workers (in place).
  virtual void reduce(const std::vector<torch::Tensor>& parameters) = 0;
  virtual int world_size() const = 0;
  virtual int rank() const = 0;
};

// A single worker: nothing to reduce.
class LocalGradients : public GradientReducer {
 public:
  void reduce(const std::vector<torch::Tensor>&) override {}
  int world_size() const override { return 1; }
  int rank() const override { return 0; }
};

struct StepOptions {
  double lr = 1e-3;
  double clip_norm = 0.5;  // global L2 norm; 0 = no clipping
};

struct StepResult {
  double loss = 0;       // mean over the micro-batches
  double grad_norm = 0;  // global L2 norm before clipping
  bool applied = true;   // false when the loss or a gradient was not finite (update skipped)
};

// The loss of one micro-batch (already on the device), e.g. encoder.mlm_loss(batch).
using LossFunction = std::function<torch::Tensor(const Batch&)>;

// A step whose work is queued. On CUDA with the fused AdamW update its outcome is decided on the
// device, and result() waits for this step's work alone (steps queued after it keep the device
// busy meanwhile); elsewhere the outcome is known when the step is queued.
class QueuedStep {
 public:
  explicit QueuedStep(StepResult result);
  // A device step: [loss, norm, skipped] arrive in pinned host_values once `copied` has happened;
  // a skipped step's counts are then taken back from the optimizer.
  QueuedStep(torch::Tensor host_values, std::shared_ptr<c10::Event> copied, AdamW* optimizer,
             CountedStep counted);

  StepResult result();
  // Whether the device decided the step (the host has not waited for it).
  bool decided_on_device() const { return copied_ != nullptr; }

 private:
  std::optional<StepResult> resolved_;
  torch::Tensor host_values_;
  std::shared_ptr<c10::Event> copied_;
  AdamW* optimizer_ = nullptr;
  CountedStep counted_;
};

// Queues the step. Micro-batches are moved to compute.device (non-blocking from pinned memory)
// one ahead of the compute that uses them. Losses run under compute's autocast.
QueuedStep queue_gradient_step(const std::vector<Batch>& micro_batches, const LossFunction& loss,
                               AdamW& optimizer, GradientReducer& reducer, const Compute& compute,
                               const StepOptions& options);
// The same, waiting for its result.
StepResult gradient_step(const std::vector<Batch>& micro_batches, const LossFunction& loss,
                         AdamW& optimizer, GradientReducer& reducer, const Compute& compute,
                         const StepOptions& options);

// The global L2 norm of the parameters' gradients (undefined gradients count as zero).
double global_grad_norm(const std::vector<torch::Tensor>& parameters);

}  // namespace dac::train
