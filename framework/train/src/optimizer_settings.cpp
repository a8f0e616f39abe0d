// The optimizer's config keys: their schema and reading them.
#include "dac/train/optimizer_settings.hpp"

namespace dac::train {

ConfigSchema& add_optimizer_keys(ConfigSchema& schema, const OptimizerSettings& defaults) {
  return schema.real("beta1", defaults.adam.beta1, "AdamW beta1 (decay of the gradient mean)")
      .min(0)
      .max(1)
      .real("beta2", defaults.adam.beta2, "AdamW beta2 (decay of the squared-gradient mean)")
      .min(0)
      .max(1)
      .real("eps", defaults.adam.eps, "AdamW epsilon")
      .min(0)
      .real("weight_decay", defaults.weight_decay,
            "AdamW decoupled weight decay (not on biases, norm weights or scalars)")
      .min(0)
      .real("clip_norm", defaults.clip_norm, "global gradient-norm clipping; 0 = off")
      .min(0);
}

OptimizerSettings optimizer_settings_from(const Options& options) {
  OptimizerSettings settings;
  settings.adam.beta1 = options.real("beta1");
  settings.adam.beta2 = options.real("beta2");
  settings.adam.eps = options.real("eps");
  settings.weight_decay = options.real("weight_decay");
  settings.clip_norm = options.real("clip_norm");
  return settings;
}

}  // namespace dac::train
