// The CUDA autocast state (on or off, and its type) read and set the same way on torch 1.13 and
// 2.x, whose autocast functions have different names.
#pragma once

#include <c10/core/ScalarType.h>

namespace dac::model {

struct CudaAutocast {
  bool enabled = false;
  c10::ScalarType dtype = c10::ScalarType::BFloat16;
};

CudaAutocast cuda_autocast();
void set_cuda_autocast(const CudaAutocast& state);

}  // namespace dac::model
