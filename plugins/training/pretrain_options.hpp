// The pretrain stage's options: the model and schedule selections, the budget, the batch ramp,
// AdamW, masking, the device, and how often to log, validate and checkpoint.
#pragma once

#include <cstdint>
#include <optional>

#include "dac/config.hpp"
#include "dac/options.hpp"
#include "dac/text/mlm_masking.hpp"
#include "dac/train/compute.hpp"
#include "dac/train/pretrainer.hpp"

namespace dac::plugins {

struct PretrainOptions {
  ConfigNode model;                    // the encoder selection table (name + its keys)
  std::string model_path;              // its key path, for errors
  std::optional<ConfigNode> schedule;  // the lr_schedule selection; absent = triangle
  train::PretrainSettings settings;    // everything but shards, masking ids, lr_multiplier
  train::ComputeRequest compute;
  std::optional<std::uint64_t> seed;  // absent = the experiment's seed
  bool export_encoder = true;

  static ConfigSchema schema();
  static PretrainOptions from(const Options& options);
};

}  // namespace dac::plugins
