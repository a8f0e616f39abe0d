// Measures pretraining throughput of an encoder on the current device with random token ids (and
// random agreement chunks for an encoder that reads them):
// the same gradient step as training (bf16 autocast on CUDA, AdamW, clipping), timed after
// warm-up steps; optionally profiles further steps into a trace file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "dac/kinds/encoder.hpp"
#include "dac/train/compute.hpp"

namespace dac::train {

struct ThroughputRequest {
  std::int64_t batch = 256;  // sequences per step
  std::int64_t seq_len = 128;
  std::int64_t steps = 20;  // timed steps
  std::int64_t warmup = 5;  // untimed steps first
  double mlm_rate = 0.25;
  std::uint64_t seed = 0;
  // For an encoder that reads agreement chunks (dacbert): random chunks of chunk_length
  // consecutive tokens, chunks_per_row of each type in every row.
  std::int64_t chunks_per_row = 6;
  std::int64_t chunk_length = 3;
  // When not empty: after the timed steps (whose figures it leaves alone), profile_steps more
  // steps run under the Kineto profiler (CPU operators, and CUDA kernels on CUDA), and its Chrome
  // trace JSON is saved here. UserError when this libtorch cannot save a trace.
  std::string profile_path;
  std::int64_t profile_steps = 3;
};

struct Throughput {
  double tokens_per_s = 0;
  double seconds_per_step = 0;
  double tflops =
      0;           // achieved training TFLOP/s (FLOPs per token as Encoder::train_flops_per_token)
  double mfu = 0;  // tflops over the device's peak
  std::int64_t parameters = 0;
  std::int64_t memory_bytes = 0;
};

// Random ids in [5, vocab_size) (past the special tokens) and round(mlm_rate · rows · seq_len)
// predicted positions, ascending, drawn from `seed` as the Python reference draws them.
Batch random_mlm_batch(std::int64_t rows, std::int64_t seq_len, std::int64_t vocab_size,
                       double mlm_rate, std::uint64_t seed);

Throughput measure_pretraining(Encoder& encoder, const Compute& compute,
                               const ThroughputRequest& request);

}  // namespace dac::train
