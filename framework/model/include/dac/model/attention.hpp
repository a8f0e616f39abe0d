// Scaled dot-product attention over [batch, heads, seq, head_dim] tensors: the fused
// at::scaled_dot_product_attention where the torch version has it (2.0 and later), an explicit
// softmax(q·kᵀ/√d)·v otherwise. Both take the same optional key-padding mask.
#pragma once

#include <torch/types.h>

#include <array>

namespace dac::model {

// q, k and v, each [batch, heads, seq, head_dim], as views of a fused projection
// [batch, seq, 3 · heads · head_dim]. They come from one unbind, whose backward writes the
// projection's gradient in one stack; taking them by index would make each backward fill a
// zero tensor of the whole projection and then add the three.
std::array<torch::Tensor, 3> split_qkv(const torch::Tensor& projection, std::int64_t heads);

// Multi-head attention over a fused projection [batch, seq, 3 · hidden] (split_qkv, then
// attention()), with the heads merged back: [batch, seq, hidden].
torch::Tensor self_attention(const torch::Tensor& projection, std::int64_t heads,
                             const torch::Tensor& key_mask, double dropout_p);

// key_mask: [batch, seq] bool, true = attend; undefined = attend everywhere. dropout_p applies to
// the attention probabilities (pass 0 outside training).
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& key_mask, double dropout_p);
// The explicit form, always available (tests compare the two).
torch::Tensor attention_reference(const torch::Tensor& q, const torch::Tensor& k,
                                  const torch::Tensor& v, const torch::Tensor& key_mask,
                                  double dropout_p);
// softmax(q·kᵀ/√d) over the keys the mask allows: [batch, heads, seq, seq], for analyses of
// where a model attends.
torch::Tensor attention_probabilities(const torch::Tensor& q, const torch::Tensor& k,
                                      const torch::Tensor& key_mask);
// True when attention() uses the fused kernel in this build.
bool fused_attention_available();

}  // namespace dac::model
