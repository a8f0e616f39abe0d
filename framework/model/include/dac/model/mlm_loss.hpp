// The MLM loss computed sparsely (only the masked positions reach the decoder) or densely (every
// position is decoded, unmasked ones ignored). The two give the same value.
#pragma once

#include <functional>

#include <torch/types.h>

namespace dac::model {

using Decoder = std::function<torch::Tensor(const torch::Tensor& hidden)>;  // [n, H] -> [n, V]

// hidden [batch, seq, H]; positions [n] flat indices into batch·seq; labels [n]. The mean
// cross-entropy is computed in the logits' own precision (under bf16 autocast: bf16 logits,
// float accumulation) and returned as at least float32; `fused` picks the fused cross-entropy of
// fused_ops.hpp.
torch::Tensor sparse_mlm_loss(const torch::Tensor& hidden, const torch::Tensor& positions,
                              const torch::Tensor& labels, const Decoder& decode,
                              bool fused = false);
torch::Tensor dense_mlm_loss(const torch::Tensor& hidden, const torch::Tensor& positions,
                             const torch::Tensor& labels, const Decoder& decode,
                             bool fused = false);

}  // namespace dac::model
