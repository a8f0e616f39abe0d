// The MLM loss computed sparsely (only the masked positions reach the decoder) or densely (every
// position is decoded, unmasked ones ignored). The two give the same value.
#pragma once

#include <functional>

#include <torch/types.h>

namespace dac::model {

using Decoder = std::function<torch::Tensor(const torch::Tensor& hidden)>;  // [n, H] -> [n, V]

// hidden [batch, seq, H]; positions [n] flat indices into batch·seq; labels [n].
torch::Tensor sparse_mlm_loss(const torch::Tensor& hidden, const torch::Tensor& positions,
                              const torch::Tensor& labels, const Decoder& decode);
torch::Tensor dense_mlm_loss(const torch::Tensor& hidden, const torch::Tensor& positions,
                             const torch::Tensor& labels, const Decoder& decode);

}  // namespace dac::model
