// Small building blocks shared by the encoder implementations (not installed).
#pragma once

#include <torch/nn/functional/dropout.h>
#include <torch/nn/modules/normalization.h>

#include "dac/model/encoder_size.hpp"

namespace dac::model::detail {

// Dropout with probability p when `active`, the identity otherwise.
inline torch::Tensor maybe_dropout(const torch::Tensor& x, double p, bool active) {
  namespace F = torch::nn::functional;
  return active && p > 0 ? F::dropout(x, F::DropoutFuncOptions().p(p).training(true)) : x;
}

// A LayerNorm over the hidden width with the encoder's epsilon (γ = 1, β = 0).
inline torch::nn::LayerNorm hidden_layer_norm(const EncoderSize& size) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({size.hidden}).eps(size.norm_eps));
}

}  // namespace dac::model::detail
