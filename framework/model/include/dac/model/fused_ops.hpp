// Three encoder operations with a fused form: the GELU-GLU of the feed-forward block, the MLM
// cross-entropy and the LayerNorm in front of a block's matmuls (with the residual sum it
// normalises). Unfused they are the usual torch operations. Fused, each is one autograd node
// with a hand-written backward pass: on CUDA (in builds against a CUDA torch) it runs dacrun's own
// kernels, which read and write each tensor once and keep bf16 logits in bf16 (the gradient is
// computed in float32 and rounded once); elsewhere it runs the same function as torch operations
// (torch's own backward kernels where one fits), which the CPU tests check against the unfused
// form's values and gradients.
#pragma once

#include <torch/types.h>

#include <cstdint>

namespace dac::model {

// gelu(projected[..., h:]) * projected[..., :h] for projected [..., 2h] (exact erf GELU).
torch::Tensor gelu_glu(const torch::Tensor& projected, bool fused);

// Mean cross-entropy of logits [n, classes] against targets [n] over the rows whose target is not
// ignore_index, as float32 (at least); NaN when every row is ignored, as torch gives.
torch::Tensor cross_entropy_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                                 std::int64_t ignore_index, bool fused);

// LayerNorm of x over its last dimension with weight and bias (as torch::layer_norm). Fused, a
// CUDA float32 x under autocast is normalised straight into the autocast type, which the matmul
// reading it would cast it to anyway, and the backward pass reads that type's gradient directly.
// Only for outputs that feed matmuls alone: elsewhere the type would differ from the unfused
// form's.
torch::Tensor layer_norm(const torch::Tensor& x, const torch::Tensor& weight,
                         const torch::Tensor& bias, double eps, bool fused);

// The residual sum x + addend (x alone when the addend is undefined) and its layer_norm as above.
// Fused, one pass reads x and the addend and writes both outputs, and the backward pass adds the
// sum's gradient from its other uses into the LayerNorm's own gradient of it in the same pass.
struct NormedSum {
  torch::Tensor sum, normed;
};
NormedSum add_layer_norm(const torch::Tensor& x, const torch::Tensor& addend,
                         const torch::Tensor& weight, const torch::Tensor& bias, double eps,
                         bool fused);

// Whether this build has the CUDA kernels (otherwise fused operations on CUDA tensors run the
// torch formulas).
bool fused_cuda_kernels_built();

}  // namespace dac::model
