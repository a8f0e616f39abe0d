// The classic post-LayerNorm BERT encoder (Devlin et al.): learned positions and segment
// embeddings, biases everywhere, GELU feed-forward, the MLM head transform (dense + GELU +
// LayerNorm) and a tied decoder with its own bias, decoding every position by default. It makes
// encoder ablations a config change.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "dac/model/encoder_size.hpp"
#include "dac/model/sized_encoder.hpp"

namespace dac::model {

class BertBlockImpl : public torch::nn::Module {
 public:
  explicit BertBlockImpl(const EncoderSize& size);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& key_mask, bool dropout);

  torch::nn::Linear qkv{nullptr}, attention_out{nullptr}, ffn_in{nullptr}, ffn_out{nullptr};
  torch::nn::LayerNorm attention_norm{nullptr}, ffn_norm{nullptr};

 private:
  EncoderSize size_;
};
TORCH_MODULE(BertBlock);

class BertOriginal : public SizedEncoder {
 public:
  explicit BertOriginal(const EncoderSize& size, bool sparse_prediction = false);

  torch::Tensor hidden_states(const Batch& batch) override;
  torch::Tensor mlm_logits(const torch::Tensor& hidden) override;

  torch::nn::Embedding token_embedding{nullptr}, position_embedding{nullptr},
      type_embedding{nullptr};
  torch::nn::LayerNorm embedding_norm{nullptr}, head_norm{nullptr};
  torch::nn::ModuleList blocks{nullptr};
  torch::nn::Linear head_transform{nullptr};
  torch::Tensor decoder_bias;
};

}  // namespace dac::model
