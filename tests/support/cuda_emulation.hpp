// Just enough of CUDA, in plain C++, to run dacrun's kernels (framework/model/cuda/*.cu) on the
// CPU in tests: every thread of a block is a std::thread, the blocks of a launch run one after
// another, warp shuffles and __syncthreads are barriers, and device memory is host memory. Slow,
// but the kernels' indexing, vector widths and reductions run exactly as written.
#pragma once

#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#define DAC_CUDA_EMULATION 1
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
// Blocks run one at a time, so a function-local static is shared by exactly one block's threads.
#define __shared__ static

namespace dac::cuda_emulation {

struct Dim3 {
  unsigned x = 1, y = 1, z = 1;
};

// One warp's shuffle exchange.
struct Warp {
  std::barrier<> barrier{32};
  float values[32] = {};
};

struct Block {
  explicit Block(unsigned threads) : barrier(threads) {
    for (unsigned w = 0; w < (threads + 31) / 32; ++w) warps.push_back(std::make_unique<Warp>());
  }
  std::barrier<> barrier;
  std::vector<std::unique_ptr<Warp>> warps;
  std::vector<unsigned char> dynamic_shared;
};

inline thread_local Block* current_block = nullptr;

}  // namespace dac::cuda_emulation

inline thread_local dac::cuda_emulation::Dim3 threadIdx, blockIdx, blockDim, gridDim;

inline void __syncthreads() {
  dac::cuda_emulation::current_block->barrier.arrive_and_wait();
}

inline float __shfl_xor_sync(unsigned, float value, int offset) {
  dac::cuda_emulation::Warp& warp = *dac::cuda_emulation::current_block->warps[threadIdx.x / 32];
  const unsigned lane = threadIdx.x % 32;
  warp.values[lane] = value;
  warp.barrier.arrive_and_wait();
  const float other = warp.values[lane ^ static_cast<unsigned>(offset)];
  warp.barrier.arrive_and_wait();
  return other;
}

inline float rsqrtf(float x) {
  return 1.0f / std::sqrt(x);
}

// bf16 as the upper 16 bits of a float, rounded to nearest even as __float2bfloat16 does.
struct __nv_bfloat16 {
  std::uint16_t bits = 0;
};
inline float __bfloat162float(__nv_bfloat16 h) {
  const std::uint32_t word = static_cast<std::uint32_t>(h.bits) << 16;
  float f;
  std::memcpy(&f, &word, sizeof f);
  return f;
}
inline __nv_bfloat16 __float2bfloat16(float f) {
  std::uint32_t word;
  std::memcpy(&word, &f, sizeof word);
  if (std::isnan(f)) return {static_cast<std::uint16_t>((word >> 16) | 0x40u)};
  word += 0x7fffu + ((word >> 16) & 1u);
  return {static_cast<std::uint16_t>(word >> 16)};
}

struct __half {
  _Float16 value = 0;
};
inline float __half2float(__half h) {
  return static_cast<float>(h.value);
}
inline __half __float2half(float f) {
  return {static_cast<_Float16>(f)};
}

using cudaStream_t = void*;
using cudaError_t = int;
constexpr cudaError_t cudaSuccess = 0;
inline cudaError_t cudaGetLastError() {
  return cudaSuccess;
}
inline const char* cudaGetErrorString(cudaError_t) {
  return "no error";
}

namespace dac::cuda_emulation {

// Runs kernel(args...) over grid × block threads, block after block.
template <typename... Parameters, typename... Arguments>
void launch(void (*kernel)(Parameters...), Dim3 grid, Dim3 block, std::size_t shared_bytes,
            Arguments... arguments) {
  for (unsigned b = 0; b < grid.x; ++b) {
    Block state(block.x);
    state.dynamic_shared.resize(shared_bytes);
    std::vector<std::thread> threads;
    threads.reserve(block.x);
    for (unsigned t = 0; t < block.x; ++t)
      threads.emplace_back([&, t] {
        threadIdx = {t, 0, 0};
        blockIdx = {b, 0, 0};
        blockDim = block;
        gridDim = grid;
        current_block = &state;
        kernel(arguments...);
      });
    for (std::thread& thread : threads) thread.join();
  }
}

inline Dim3 dim(unsigned x) {
  return {x, 1, 1};
}

}  // namespace dac::cuda_emulation

#define DAC_LAUNCH(kernel, grid, block, shared, stream, ...)          \
  dac::cuda_emulation::launch(kernel, dac::cuda_emulation::dim(grid), \
                              dac::cuda_emulation::dim(block), shared, __VA_ARGS__)
#define DAC_DYNAMIC_SHARED(type, name) \
  type* name = reinterpret_cast<type*>(dac::cuda_emulation::current_block->dynamic_shared.data())
