// AdamW's hyperparameters and the gradient clipping of a training run as one value, with the
// config keys that set them (beta1, beta2, eps, weight_decay, clip_norm). Pretraining, the
// agreement submodels and GLUE fine-tuning share them, each with its own defaults.
#pragma once

#include "dac/options.hpp"

namespace dac::train {

struct AdamWOptions {
  double beta1 = 0.9;
  double beta2 = 0.98;
  double eps = 1e-12;
};

struct OptimizerSettings {
  AdamWOptions adam;
  double weight_decay = 0.01;  // decoupled; not on biases, norm weights or scalars
  double clip_norm = 0.5;      // global L2 norm of the gradients; 0 = no clipping
};

// Adds beta1, beta2, eps, weight_decay and clip_norm with the given defaults.
ConfigSchema& add_optimizer_keys(ConfigSchema& schema, const OptimizerSettings& defaults);
OptimizerSettings optimizer_settings_from(const Options& options);

}  // namespace dac::train
