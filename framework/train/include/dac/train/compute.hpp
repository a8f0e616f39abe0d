// Where and how training computes: the device (CPU, or CUDA when present with device = "auto"),
// bf16 mixed precision with float32 master weights on CUDA, TF32 for float32 matmuls, CPU
// threads, the device's peak FLOP/s for MFU, and memory in use.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>

#include "dac/config.hpp"
#include "dac/model/autocast_state.hpp"
#include "dac/options.hpp"

namespace dac::train {

struct ComputeRequest {
  std::string device = "auto";     // "auto", "cpu", "cuda", "cuda:N"
  std::string precision = "auto";  // "auto" (bf16 on CUDA, fp32 on CPU), "bf16", "fp32"
  std::int64_t threads = 0;        // CPU intra-op threads; 0 = all cores
  double peak_tflops = 0;          // 0 = from the device table (CUDA) or a matmul measurement (CPU)
};

struct Compute {
  torch::Device device{torch::kCPU};
  bool bf16 = false;        // autocast to bfloat16 around forward passes
  std::string device_name;  // e.g. "NVIDIA H100 80GB HBM3" or "cpu (2 threads)"
  double peak_flops = 0;    // FLOP/s used as the MFU denominator
  std::string peak_source;  // "table", "config", "measured fp32 matmul"
  std::int64_t threads = 1;

  ConfigNode describe() const;
};

// Adds the keys of a request (device, precision, threads, peak_tflops) to a stage's schema, and
// reads them back.
ConfigSchema& add_compute_options(ConfigSchema& schema);
ComputeRequest compute_request_from(const Options& options);

// Resolves the request: sets torch's thread count, enables TF32 on CUDA, picks the precision.
// A UserError when CUDA is asked for but absent, or bf16 on CPU.
Compute resolve_compute(const ComputeRequest& request);

// RAII: bf16 autocast on CUDA for the guard's lifetime when compute.bf16 (nothing otherwise).
class AutocastGuard {
 public:
  explicit AutocastGuard(const Compute& compute);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  bool active_ = false;
  model::CudaAutocast previous_;
};

// Peak dense bf16 FLOP/s of known CUDA cards by name (H100, H200, A100, A6000, L40S, 4090, …);
// 0 when unknown.
double peak_flops_from_table(const std::string& device_name);
// Bytes in use: the CUDA caching allocator's peak since the last reset on CUDA, resident set
// size of the process on CPU.
std::int64_t memory_in_use(const Compute& compute);
// Starts a new peak for memory_in_use on CUDA (no-op on CPU).
void reset_peak_memory(const Compute& compute);
// Waits for queued device work (no-op on CPU).
void synchronize(const Compute& compute);

}  // namespace dac::train
