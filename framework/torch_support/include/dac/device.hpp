// The compute device as torch sees it, and a dense matmul measurement. Used by run provenance,
// `dacrun bench matmul` and the system_check stage. No torch in this header.
#pragma once

#include <cstdint>
#include <string>

#include "dac/config.hpp"

namespace dac {

// torch version, CPU threads, BLAS in use, CUDA availability and device names/memory.
ConfigNode describe_torch_device();

struct MatmulMeasurement {
  std::string device;  // "cpu" or "cuda:0"
  std::string dtype;   // "float32", "bfloat16", "float16"
  std::int64_t size = 0;
  int repeats = 0;
  double seconds_per_matmul = 0;
  double gflops = 0;  // 2 n^3 / seconds / 1e9
};

// Times `repeats` n x n x n matmuls after one warm-up. device: "cpu", "cuda" or "cuda:K";
// dtype: "float32", "bfloat16" or "float16". Unknown or unavailable choices are UserErrors.
MatmulMeasurement measure_matmul(std::int64_t size, int repeats, const std::string& dtype,
                                 const std::string& device);

}  // namespace dac
