// Launchers of the encoders' fused CUDA kernels (GELU-GLU, the cross-entropy over a vocabulary and
// a LayerNorm that writes its output in the matmul's precision).
// Plain C++ (no torch, no CUDA headers) so the torch glue and the .cu file share it; tensors
// arrive as contiguous raw pointers and the stream as an opaque cudaStream_t. Every launcher
// returns nullptr on success or the CUDA error text of the launch.
#pragma once

#include <cstdint>

namespace dac::model::cuda {

enum class ElementType { Float32, BFloat16, Float16 };

// out[r, c] = gelu(in[r, half + c]) * in[r, c] for in [rows, 2·half], out [rows, half]
// (exact erf GELU, computed in float, rounded once).
const char* gelu_glu_forward(ElementType type, const void* in, void* out, std::int64_t rows,
                             std::int64_t half, void* stream);

// grad_in [rows, 2·half] of the forward above given grad_out [rows, half]:
// grad_in[r, c] = dy · gelu(g), grad_in[r, half + c] = dy · x · gelu'(g).
const char* gelu_glu_backward(ElementType type, const void* grad_out, const void* in, void* grad_in,
                              std::int64_t rows, std::int64_t half, void* stream);

// Per row of logits [rows, classes]: lse[r] = logsumexp(logits[r]) and
// row_loss[r] = lse[r] - logits[r, target[r]], or 0 where target[r] == ignore_index
// (NaN where the target is outside [0, classes)). Float accumulation; lse and row_loss float32.
const char* cross_entropy_forward(ElementType type, const void* logits, const std::int64_t* targets,
                                  float* lse, float* row_loss, std::int64_t rows,
                                  std::int64_t classes, std::int64_t ignore_index, void* stream);

// grad_logits[r, j] = (exp(logits[r, j] - lse[r]) - [j == target[r]]) · scale[0], and 0 on
// ignored rows; scale is a device float (the upstream gradient over the counted rows).
const char* cross_entropy_backward(ElementType type, const void* logits,
                                   const std::int64_t* targets, const float* lse,
                                   const float* scale, void* grad_logits, std::int64_t rows,
                                   std::int64_t classes, std::int64_t ignore_index, void* stream);

// LayerNorm over the last `width` of float32 x [rows, width] with float32 weight and bias, written
// as `out_type` (rounded once from float): y = (x - mean) · rstd · weight + bias, with the row's
// mean and rstd = 1 / sqrt(biased variance + eps) stored as float32 (what torch's LayerNorm
// backward reads). With an addend ([rows, width] in out_type; nullable) the row normalised is
// x + addend, summed in float and also written to `sum` (float32 [rows, width], needed then).
const char* layer_norm_forward(ElementType out_type, const float* x, const void* addend, float* sum,
                               const float* weight, const float* bias, void* y, float* mean,
                               float* rstd, std::int64_t rows, std::int64_t width, double eps,
                               void* stream);

// The widest row layer_norm_backward takes, and the most blocks it runs (each writes one row of
// the partial sums).
constexpr std::int64_t kMaxLayerNormBackwardWidth = 1024;
constexpr std::int64_t kLayerNormBackwardBlocks = 2048;
// The rows of partial sums layer_norm_backward writes for `rows` rows.
std::int64_t layer_norm_backward_blocks(std::int64_t rows);

// The backward pass of layer_norm_forward from grad_y (in grad_type) [rows, width]: grad_x
// (float32 [rows, width]) and the weight and bias gradients as partial sums (float32
// [layer_norm_backward_blocks(rows), width] each) whose sum over the first dimension is the
// gradient. grad_residual (float32 [rows, width]; nullable), the gradient x gets by other paths,
// is added into grad_x. width must be at most kMaxLayerNormBackwardWidth.
const char* layer_norm_backward(ElementType grad_type, const void* grad_y, const float* x,
                                const float* weight, const float* mean, const float* rstd,
                                const float* grad_residual, float* grad_x, float* partial_weight,
                                float* partial_bias, std::int64_t rows, std::int64_t width,
                                void* stream);

}  // namespace dac::model::cuda
