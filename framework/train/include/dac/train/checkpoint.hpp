// Training checkpoints: one file holding the model, the optimizer, the counters and schedule
// position, RNG states, the data position, the resolved config, plugin names and versions, and
// the tokenizer (vocabulary + normaliser name). Written atomically (temp file + rename) in
// torch's archive format, which libtorch 1.13 and 2.x both read, always from CPU tensors, so a
// GPU run's checkpoint loads on a CPU machine.
#pragma once

#include <torch/nn/module.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "dac/budget.hpp"
#include "dac/config.hpp"
#include "dac/train/adamw.hpp"

namespace dac::train {

struct CheckpointMeta {
  TrainingCounters counters;
  std::int64_t nonfinite_in_a_row = 0;
  std::int64_t skipped_steps = 0;
  std::string config_toml;   // the run's resolved config
  std::string encoder_toml;  // Encoder::describe() as TOML
  std::string plugins_toml;  // plugin names and versions used
  std::string vocab_text;    // vocab.txt contents
  std::string normalizer;    // normaliser name
  std::string extra_toml;    // anything else the stage needs to resume (e.g. metric history)
  std::int64_t format_version = 1;
};

// Saves module parameters and buffers, the optimizer state (when given), the meta data and the
// CPU (and, when present, CUDA) RNG states. Atomic: `path` is replaced only once fully written.
void save_checkpoint(const std::filesystem::path& path, const torch::nn::Module& module,
                     const AdamW* optimizer, const CheckpointMeta& meta);

// Loads into an existing module (and optimizer when given) and restores the RNG states; tensors
// are copied onto the module's device. A UserError naming the file when it is missing, corrupt,
// damaged (a record that does not match its CRC-32), of another format version, or its
// parameters do not match the module.
CheckpointMeta load_checkpoint(const std::filesystem::path& path, torch::nn::Module& module,
                               AdamW* optimizer);

// Copies into `module` the checkpoint's tensors of the same names: every tensor of the module
// must be there with its shape, the checkpoint may hold more. Optimizer and RNG states are left
// alone (for taking trained parts, such as DACBERT's stage-1 submodels, into a new model).
void load_weights(const std::filesystem::path& path, torch::nn::Module& module);

// Only the meta data (to rebuild the model before loading its weights). Only the records it reads
// are compared with their CRC-32, not the tensors' bytes, which load_checkpoint checks.
CheckpointMeta read_checkpoint_meta(const std::filesystem::path& path);

}  // namespace dac::train
