// The fused CUDA kernels declared in fused_kernels.hpp: vectorised element-wise GELU-GLU forward
// and backward (one read of the projection, one write), and a cross-entropy with one block per
// row (an online maximum and sum of exponentials in float) whose gradient is written directly in
// the logits' type, so no float32 copy of the logits is ever made, and a one-warp-per-row
// LayerNorm of the float32 residual stream that writes bf16 (or any type) directly.
// DAC_CUDA_EMULATION: the tests compile this file as plain C++ with their own definitions of the
// CUDA names, launches and dynamic shared memory, and run the kernels on the CPU.
#ifndef DAC_CUDA_EMULATION
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#define DAC_LAUNCH(kernel, grid, block, shared, stream, ...) \
  kernel<<<grid, block, shared, stream>>>(__VA_ARGS__)
#define DAC_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
#endif

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "fused_kernels.hpp"

namespace dac::model::cuda {

namespace {

constexpr int kElementThreads = 256;
constexpr int kRowThreads = 512;
constexpr int kNormWarps = 4;
constexpr int kMaxColumnsPerLane = kMaxLayerNormBackwardWidth / 32;  // rows per LayerNorm block
constexpr std::int64_t kMaxElementBlocks = 1 << 20;  // the loops stride over the rest
constexpr float kSqrtHalf = 0.70710678118654752440f;
constexpr float kInvSqrtTwoPi = 0.39894228040143267794f;

__device__ __forceinline__ float to_float(float x) {
  return x;
}
__device__ __forceinline__ float to_float(__nv_bfloat16 x) {
  return __bfloat162float(x);
}
__device__ __forceinline__ float to_float(__half x) {
  return __half2float(x);
}

template <typename T>
__device__ __forceinline__ T from_float(float x);
template <>
__device__ __forceinline__ float from_float<float>(float x) {
  return x;
}
template <>
__device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float x) {
  return __float2bfloat16(x);
}
template <>
__device__ __forceinline__ __half from_float<__half>(float x) {
  return __float2half(x);
}

__device__ __forceinline__ float gelu(float x) {
  return 0.5f * x * (1.0f + erff(x * kSqrtHalf));
}

__device__ __forceinline__ float gelu_derivative(float x) {
  const float cdf = 0.5f * (1.0f + erff(x * kSqrtHalf));
  return cdf + x * kInvSqrtTwoPi * expf(-0.5f * x * x);
}

// N consecutive elements moved with one load or store.
template <typename T, int N>
struct alignas(sizeof(T) * N) Pack {
  T v[N];
};

template <typename T, int N>
__device__ __forceinline__ Pack<T, N> load(const T* p) {
  return *reinterpret_cast<const Pack<T, N>*>(p);
}

template <typename T, int N>
__device__ __forceinline__ void store(T* p, const Pack<T, N>& pack) {
  *reinterpret_cast<Pack<T, N>*>(p) = pack;
}

// Calls visit(row, column) for every N-wide pack of the [rows, half] GLU output, the grid's
// threads striding over them.
template <int N, typename Visit>
__device__ __forceinline__ void for_each_glu_pack(std::int64_t rows, std::int64_t half,
                                                  Visit&& visit) {
  const std::int64_t packs_per_row = half / N;
  const std::int64_t total = rows * packs_per_row;
  const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  for (std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += stride) {
    const std::int64_t row = i / packs_per_row;
    visit(row, (i - row * packs_per_row) * N);
  }
}

template <typename T, int N>
__global__ void __launch_bounds__(kElementThreads)
    gelu_glu_forward_kernel(const T* __restrict__ in, T* __restrict__ out, std::int64_t rows,
                            std::int64_t half) {
  for_each_glu_pack<N>(rows, half, [&](std::int64_t row, std::int64_t column) {
    const T* source = in + row * 2 * half + column;
    const Pack<T, N> x = load<T, N>(source);
    const Pack<T, N> g = load<T, N>(source + half);
    Pack<T, N> y;
#pragma unroll
    for (int k = 0; k < N; ++k) y.v[k] = from_float<T>(gelu(to_float(g.v[k])) * to_float(x.v[k]));
    store<T, N>(out + row * half + column, y);
  });
}

template <typename T, int N>
__global__ void __launch_bounds__(kElementThreads)
    gelu_glu_backward_kernel(const T* __restrict__ grad_out, const T* __restrict__ in,
                             T* __restrict__ grad_in, std::int64_t rows, std::int64_t half) {
  for_each_glu_pack<N>(rows, half, [&](std::int64_t row, std::int64_t column) {
    const std::int64_t offset = row * 2 * half + column;
    const Pack<T, N> x = load<T, N>(in + offset);
    const Pack<T, N> g = load<T, N>(in + offset + half);
    const Pack<T, N> dy = load<T, N>(grad_out + row * half + column);
    Pack<T, N> dx, dg;
#pragma unroll
    for (int k = 0; k < N; ++k) {
      const float gate = to_float(g.v[k]);
      const float upstream = to_float(dy.v[k]);
      dx.v[k] = from_float<T>(upstream * gelu(gate));
      dg.v[k] = from_float<T>(upstream * to_float(x.v[k]) * gelu_derivative(gate));
    }
    store<T, N>(grad_in + offset, dx);
    store<T, N>(grad_in + offset + half, dg);
  });
}

// A running maximum and the sum of exp(x - maximum) over the values seen.
struct MaxSum {
  float max;
  float sum;
};

__device__ __forceinline__ void accumulate(MaxSum& s, float x) {
  if (x > s.max) {
    s.sum = s.sum * expf(s.max - x) + 1.0f;
    s.max = x;
  } else if (x != -INFINITY) {
    s.sum += expf(x - s.max);  // a NaN value makes the sum NaN, so the loss reports it
  }
}

// Symmetric in its arguments, so every lane of a butterfly reduction ends with the same result.
__device__ __forceinline__ MaxSum combine(MaxSum a, MaxSum b) {
  if (b.max > a.max) {
    const MaxSum t = a;
    a = b;
    b = t;
  }
  if (b.max == -INFINITY) return {a.max, a.sum + b.sum};
  return {a.max, a.sum + b.sum * expf(b.max - a.max)};
}

__device__ __forceinline__ MaxSum warp_reduce(MaxSum s) {
#pragma unroll
  for (int offset = 16; offset > 0; offset /= 2) {
    const MaxSum other{__shfl_xor_sync(0xffffffffu, s.max, offset),
                       __shfl_xor_sync(0xffffffffu, s.sum, offset)};
    s = combine(s, other);
  }
  return s;
}

// The whole block's MaxSum, returned to every thread.
__device__ MaxSum block_reduce(MaxSum s) {
  constexpr int kWarps = kRowThreads / 32;
  __shared__ float maxes[kWarps];
  __shared__ float sums[kWarps];
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  s = warp_reduce(s);
  if (lane == 0) {
    maxes[warp] = s.max;
    sums[warp] = s.sum;
  }
  __syncthreads();
  if (warp == 0) {
    MaxSum t = lane < kWarps ? MaxSum{maxes[lane], sums[lane]} : MaxSum{-INFINITY, 0.0f};
    t = warp_reduce(t);
    if (lane == 0) {
      maxes[0] = t.max;
      sums[0] = t.sum;
    }
  }
  __syncthreads();
  return {maxes[0], sums[0]};
}

template <typename T, int N>
__global__ void __launch_bounds__(kRowThreads)
    cross_entropy_forward_kernel(const T* __restrict__ logits,
                                 const std::int64_t* __restrict__ targets, float* __restrict__ lse,
                                 float* __restrict__ row_loss, std::int64_t classes,
                                 std::int64_t ignore_index) {
  const std::int64_t row = blockIdx.x;
  const T* x = logits + row * classes;
  MaxSum s{-INFINITY, 0.0f};
  for (std::int64_t c = static_cast<std::int64_t>(threadIdx.x) * N; c < classes;
       c += static_cast<std::int64_t>(blockDim.x) * N) {
    const Pack<T, N> p = load<T, N>(x + c);
#pragma unroll
    for (int k = 0; k < N; ++k) accumulate(s, to_float(p.v[k]));
  }
  s = block_reduce(s);
  if (threadIdx.x == 0) {
    const float row_lse = s.max + logf(s.sum);
    lse[row] = row_lse;
    const std::int64_t target = targets[row];
    if (target == ignore_index)
      row_loss[row] = 0.0f;
    else if (target < 0 || target >= classes)
      row_loss[row] = NAN;
    else
      row_loss[row] = row_lse - to_float(x[target]);
  }
}

template <typename T, int N>
__global__ void __launch_bounds__(kRowThreads)
    cross_entropy_backward_kernel(const T* __restrict__ logits,
                                  const std::int64_t* __restrict__ targets,
                                  const float* __restrict__ lse, const float* __restrict__ scale,
                                  T* __restrict__ grad, std::int64_t classes,
                                  std::int64_t ignore_index) {
  const std::int64_t row = blockIdx.x;
  const std::int64_t target = targets[row];
  const bool ignored = target == ignore_index;
  const float row_lse = lse[row];
  const float factor = ignored ? 0.0f : scale[0];
  const T* x = logits + row * classes;
  T* out = grad + row * classes;
  for (std::int64_t c = static_cast<std::int64_t>(threadIdx.x) * N; c < classes;
       c += static_cast<std::int64_t>(blockDim.x) * N) {
    const Pack<T, N> p = load<T, N>(x + c);
    Pack<T, N> g;
#pragma unroll
    for (int k = 0; k < N; ++k) {
      const float probability = expf(to_float(p.v[k]) - row_lse);
      const float value = probability - (c + k == target ? 1.0f : 0.0f);
      g.v[k] = from_float<T>(ignored ? 0.0f : value * factor);
    }
    store<T, N>(out + c, g);
  }
}

__device__ __forceinline__ float warp_sum(float value) {
#pragma unroll
  for (int offset = 16; offset > 0; offset /= 2)
    value += __shfl_xor_sync(0xffffffffu, value, offset);
  return value;
}

// One warp per row: the mean, then the variance around it (two passes over the row, which stays
// in the cache), then the normalised, scaled and shifted row in T. With an addend (in T), the row
// normalised is x + addend, which the first pass also stores in `sum` for the later passes and
// for the caller (the residual stream).
template <typename T>
__global__ void __launch_bounds__(kNormWarps * 32)
    layer_norm_forward_kernel(const float* __restrict__ x, const T* __restrict__ addend,
                              float* __restrict__ sum_out, const float* __restrict__ weight,
                              const float* __restrict__ bias, T* __restrict__ y,
                              float* __restrict__ mean, float* __restrict__ rstd, std::int64_t rows,
                              std::int64_t width, float eps) {
  const std::int64_t row = static_cast<std::int64_t>(blockIdx.x) * kNormWarps +
                           static_cast<std::int64_t>(threadIdx.x / 32);
  if (row >= rows) return;  // the whole warp leaves together
  const int lane = static_cast<int>(threadIdx.x % 32);
  const float* in = x + row * width;
  float sum = 0.0f;
  if (addend != nullptr) {
    const T* extra = addend + row * width;
    float* stream = sum_out + row * width;
    for (std::int64_t c = lane; c < width; c += 32) {
      const float value = in[c] + to_float(extra[c]);
      stream[c] = value;  // read back below by this same lane
      sum += value;
    }
    in = stream;
  } else {
    for (std::int64_t c = lane; c < width; c += 32) sum += in[c];
  }
  const float row_mean = warp_sum(sum) / static_cast<float>(width);
  float squares = 0.0f;
  for (std::int64_t c = lane; c < width; c += 32) {
    const float d = in[c] - row_mean;
    squares += d * d;
  }
  const float row_rstd = rsqrtf(warp_sum(squares) / static_cast<float>(width) + eps);
  T* out = y + row * width;
  for (std::int64_t c = lane; c < width; c += 32)
    out[c] = from_float<T>((in[c] - row_mean) * row_rstd * weight[c] + bias[c]);
  if (lane == 0) {
    mean[row] = row_mean;
    rstd[row] = row_rstd;
  }
}

// LayerNorm backward from a gradient in G: one warp per row (rows striding over the grid), each
// lane holding the weight and bias gradient sums of its columns (c = lane + 32·k) in registers;
// the block adds its warps' sums in a fixed order into one row of the partial sums, which the
// caller adds over blocks, so the result does not depend on scheduling. A gradient that reaches
// x by another path (grad_residual, float32, nullable) is added into grad_x in the same pass.
template <typename G>
__global__ void __launch_bounds__(kNormWarps * 32)
    layer_norm_backward_kernel(const G* __restrict__ grad_y, const float* __restrict__ x,
                               const float* __restrict__ weight, const float* __restrict__ mean,
                               const float* __restrict__ rstd,
                               const float* __restrict__ grad_residual, float* __restrict__ grad_x,
                               float* __restrict__ partial_weight, float* __restrict__ partial_bias,
                               std::int64_t rows, std::int64_t width) {
  DAC_DYNAMIC_SHARED(float, warp_sums);  // [2][kNormWarps][width]
  const int warp = static_cast<int>(threadIdx.x / 32);
  const int lane = static_cast<int>(threadIdx.x % 32);
  float weight_sum[kMaxColumnsPerLane];
  float bias_sum[kMaxColumnsPerLane];
#pragma unroll
  for (int k = 0; k < kMaxColumnsPerLane; ++k) weight_sum[k] = bias_sum[k] = 0.0f;
  const float inverse_width = 1.0f / static_cast<float>(width);
  for (std::int64_t row = static_cast<std::int64_t>(blockIdx.x) * kNormWarps + warp; row < rows;
       row += static_cast<std::int64_t>(gridDim.x) * kNormWarps) {
    const float* in = x + row * width;
    const G* dy = grad_y + row * width;
    const float row_mean = mean[row], row_rstd = rstd[row];
    float scaled_sum = 0.0f, projected_sum = 0.0f;  // Σ dy·w and Σ dy·w·x̂ over the row
#pragma unroll
    for (int k = 0; k < kMaxColumnsPerLane; ++k) {
      const std::int64_t c = lane + 32 * static_cast<std::int64_t>(k);
      if (c >= width) break;
      const float upstream = to_float(dy[c]);
      const float normalized = (in[c] - row_mean) * row_rstd;
      const float scaled = upstream * weight[c];
      scaled_sum += scaled;
      projected_sum += scaled * normalized;
      weight_sum[k] += upstream * normalized;
      bias_sum[k] += upstream;
    }
    const float scaled_mean = warp_sum(scaled_sum) * inverse_width;
    const float projected_mean = warp_sum(projected_sum) * inverse_width;
    float* out = grad_x + row * width;
    const float* passed = grad_residual == nullptr ? nullptr : grad_residual + row * width;
#pragma unroll
    for (int k = 0; k < kMaxColumnsPerLane; ++k) {
      const std::int64_t c = lane + 32 * static_cast<std::int64_t>(k);
      if (c >= width) break;
      const float normalized = (in[c] - row_mean) * row_rstd;
      const float scaled = to_float(dy[c]) * weight[c];
      const float own = row_rstd * (scaled - scaled_mean - normalized * projected_mean);
      out[c] = passed == nullptr ? own : passed[c] + own;
    }
  }
  float* weight_sums = warp_sums + static_cast<std::int64_t>(warp) * width;
  float* bias_sums = warp_sums + (kNormWarps + static_cast<std::int64_t>(warp)) * width;
#pragma unroll
  for (int k = 0; k < kMaxColumnsPerLane; ++k) {
    const std::int64_t c = lane + 32 * static_cast<std::int64_t>(k);
    if (c >= width) break;
    weight_sums[c] = weight_sum[k];
    bias_sums[c] = bias_sum[k];
  }
  __syncthreads();
  for (std::int64_t c = threadIdx.x; c < width; c += blockDim.x) {
    float w = 0.0f, b = 0.0f;
    for (int v = 0; v < kNormWarps; ++v) {
      w += warp_sums[v * width + c];
      b += warp_sums[(kNormWarps + v) * width + c];
    }
    partial_weight[static_cast<std::int64_t>(blockIdx.x) * width + c] = w;
    partial_bias[static_cast<std::int64_t>(blockIdx.x) * width + c] = b;
  }
}

// Calls launch(T{}) with the C++ type of `type`.
template <typename Launch>
void with_element_type(ElementType type, Launch&& launch) {
  switch (type) {
    case ElementType::Float32:
      launch(float{});
      break;
    case ElementType::BFloat16:
      launch(__nv_bfloat16{});
      break;
    case ElementType::Float16:
      launch(__half{});
      break;
  }
}

bool aligned(const void* p, std::size_t bytes) {
  return reinterpret_cast<std::uintptr_t>(p) % bytes == 0;
}

// Calls launch(std::integral_constant<int, N>{}) with the widest N (at most 16 bytes of T) that
// divides `extent` and to whose N·sizeof(T) bytes every pointer is aligned.
template <typename T, typename Launch>
void with_pack_width(std::int64_t extent, std::initializer_list<const void*> pointers,
                     Launch&& launch) {
  auto fits = [&](int n) {
    if (extent % n != 0) return false;
    for (const void* p : pointers)
      if (!aligned(p, sizeof(T) * n)) return false;
    return true;
  };
  if constexpr (sizeof(T) <= 2) {
    if (fits(8)) return launch(std::integral_constant<int, 8>{});
  }
  if (fits(4)) return launch(std::integral_constant<int, 4>{});
  if (fits(2)) return launch(std::integral_constant<int, 2>{});
  launch(std::integral_constant<int, 1>{});
}

unsigned element_blocks(std::int64_t packs) {
  const std::int64_t blocks = (packs + kElementThreads - 1) / kElementThreads;
  return static_cast<unsigned>(blocks < kMaxElementBlocks ? blocks : kMaxElementBlocks);
}

const char* launch_status() {
  const cudaError_t status = cudaGetLastError();
  return status == cudaSuccess ? nullptr : cudaGetErrorString(status);
}

}  // namespace

const char* gelu_glu_forward(ElementType type, const void* in, void* out, std::int64_t rows,
                             std::int64_t half, void* stream) {
  if (rows * half == 0) return nullptr;
  with_element_type(type, [&](auto tag) {
    using T = decltype(tag);
    with_pack_width<T>(half, {in, out}, [&](auto width) {
      constexpr int N = decltype(width)::value;
      const auto kernel = gelu_glu_forward_kernel<T, N>;
      DAC_LAUNCH(kernel, element_blocks(rows * half / N), kElementThreads, 0,
                 static_cast<cudaStream_t>(stream), static_cast<const T*>(in), static_cast<T*>(out),
                 rows, half);
    });
  });
  return launch_status();
}

const char* gelu_glu_backward(ElementType type, const void* grad_out, const void* in, void* grad_in,
                              std::int64_t rows, std::int64_t half, void* stream) {
  if (rows * half == 0) return nullptr;
  with_element_type(type, [&](auto tag) {
    using T = decltype(tag);
    with_pack_width<T>(half, {grad_out, in, grad_in}, [&](auto width) {
      constexpr int N = decltype(width)::value;
      const auto kernel = gelu_glu_backward_kernel<T, N>;
      DAC_LAUNCH(kernel, element_blocks(rows * half / N), kElementThreads, 0,
                 static_cast<cudaStream_t>(stream), static_cast<const T*>(grad_out),
                 static_cast<const T*>(in), static_cast<T*>(grad_in), rows, half);
    });
  });
  return launch_status();
}

const char* cross_entropy_forward(ElementType type, const void* logits, const std::int64_t* targets,
                                  float* lse, float* row_loss, std::int64_t rows,
                                  std::int64_t classes, std::int64_t ignore_index, void* stream) {
  if (rows == 0) return nullptr;
  with_element_type(type, [&](auto tag) {
    using T = decltype(tag);
    with_pack_width<T>(classes, {logits}, [&](auto width) {
      constexpr int N = decltype(width)::value;
      const auto kernel = cross_entropy_forward_kernel<T, N>;
      DAC_LAUNCH(kernel, static_cast<unsigned>(rows), kRowThreads, 0,
                 static_cast<cudaStream_t>(stream), static_cast<const T*>(logits), targets, lse,
                 row_loss, classes, ignore_index);
    });
  });
  return launch_status();
}

const char* cross_entropy_backward(ElementType type, const void* logits,
                                   const std::int64_t* targets, const float* lse,
                                   const float* scale, void* grad_logits, std::int64_t rows,
                                   std::int64_t classes, std::int64_t ignore_index, void* stream) {
  if (rows == 0) return nullptr;
  with_element_type(type, [&](auto tag) {
    using T = decltype(tag);
    with_pack_width<T>(classes, {logits, grad_logits}, [&](auto width) {
      constexpr int N = decltype(width)::value;
      const auto kernel = cross_entropy_backward_kernel<T, N>;
      DAC_LAUNCH(kernel, static_cast<unsigned>(rows), kRowThreads, 0,
                 static_cast<cudaStream_t>(stream), static_cast<const T*>(logits), targets, lse,
                 scale, static_cast<T*>(grad_logits), classes, ignore_index);
    });
  });
  return launch_status();
}

const char* layer_norm_forward(ElementType out_type, const float* x, const void* addend, float* sum,
                               const float* weight, const float* bias, void* y, float* mean,
                               float* rstd, std::int64_t rows, std::int64_t width, double eps,
                               void* stream) {
  if (rows == 0) return nullptr;
  if (addend != nullptr && sum == nullptr) return "layer_norm forward: an addend needs a sum";
  const auto blocks = static_cast<unsigned>((rows + kNormWarps - 1) / kNormWarps);
  with_element_type(out_type, [&](auto tag) {
    using T = decltype(tag);
    const auto kernel = layer_norm_forward_kernel<T>;
    DAC_LAUNCH(kernel, blocks, kNormWarps * 32, 0, static_cast<cudaStream_t>(stream), x,
               static_cast<const T*>(addend), sum, weight, bias, static_cast<T*>(y), mean, rstd,
               rows, width, static_cast<float>(eps));
  });
  return launch_status();
}

std::int64_t layer_norm_backward_blocks(std::int64_t rows) {
  const std::int64_t needed = (rows + kNormWarps - 1) / kNormWarps;
  return needed < kLayerNormBackwardBlocks ? needed : kLayerNormBackwardBlocks;
}

const char* layer_norm_backward(ElementType grad_type, const void* grad_y, const float* x,
                                const float* weight, const float* mean, const float* rstd,
                                const float* grad_residual, float* grad_x, float* partial_weight,
                                float* partial_bias, std::int64_t rows, std::int64_t width,
                                void* stream) {
  if (rows == 0) return nullptr;
  if (width > kMaxLayerNormBackwardWidth) return "layer_norm backward: the row is too wide";
  const auto blocks = static_cast<unsigned>(layer_norm_backward_blocks(rows));
  const std::size_t shared = sizeof(float) * 2 * kNormWarps * static_cast<std::size_t>(width);
  with_element_type(grad_type, [&](auto tag) {
    using G = decltype(tag);
    const auto kernel = layer_norm_backward_kernel<G>;
    DAC_LAUNCH(kernel, blocks, kNormWarps * 32, shared, static_cast<cudaStream_t>(stream),
               static_cast<const G*>(grad_y), x, weight, mean, rstd, grad_residual, grad_x,
               partial_weight, partial_bias, rows, width);
  });
  return launch_status();
}

}  // namespace dac::model::cuda
