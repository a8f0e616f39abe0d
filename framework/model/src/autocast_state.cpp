// Reading and setting the CUDA autocast state across torch versions (renamed in torch 2.4).
#include "dac/model/autocast_state.hpp"

#include <ATen/autocast_mode.h>

#include "dac/torch_version.hpp"

// Since torch 2.4 the autocast functions take the device type.
#define DAC_AUTOCAST_BY_DEVICE DAC_TORCH_AT_LEAST(2, 4)

namespace dac::model {

CudaAutocast cuda_autocast() {
#if DAC_AUTOCAST_BY_DEVICE
  return {at::autocast::is_autocast_enabled(at::kCUDA),
          at::autocast::get_autocast_dtype(at::kCUDA)};
#else
  return {at::autocast::is_enabled(), at::autocast::get_autocast_gpu_dtype()};
#endif
}

void set_cuda_autocast(const CudaAutocast& state) {
#if DAC_AUTOCAST_BY_DEVICE
  at::autocast::set_autocast_enabled(at::kCUDA, state.enabled);
  at::autocast::set_autocast_dtype(at::kCUDA, state.dtype);
#else
  at::autocast::set_enabled(state.enabled);
  at::autocast::set_autocast_gpu_dtype(state.dtype);
#endif
}

}  // namespace dac::model
