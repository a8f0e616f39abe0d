// The Crammed BERT encoder, exactly as the recipe describes it: pre-LayerNorm blocks with fused
// bias-free QKV, GELU-GLU feed-forward, a final LayerNorm, scaled sinusoidal positions with one
// learnable scale, an embedding LayerNorm, and a tied bias-free decoder used sparsely.
// Variants (DACBERT) derive from it and override combine_extras().
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "dac/model/encoder_size.hpp"
#include "dac/model/fused_ops.hpp"
#include "dac/model/sized_encoder.hpp"

namespace dac::model {

// The residual stream between blocks, base + branch, with the last block's branch not yet added
// so that the next block's LayerNorm can add it in the same pass (add_layer_norm in
// fused_ops.hpp). An undefined branch adds nothing.
struct ResidualStream {
  torch::Tensor base, branch;
  torch::Tensor sum() const { return branch.defined() ? base + branch : base; }
};

class CrammedBlockImpl : public torch::nn::Module {
 public:
  explicit CrammedBlockImpl(const EncoderSize& size);
  ResidualStream forward(const ResidualStream& in, const torch::Tensor& key_mask, bool dropout);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& key_mask, bool dropout) {
    return forward(ResidualStream{x, {}}, key_mask, dropout).sum();
  }
  // The attention probabilities [batch, heads, seq, seq] this block gives input x (no dropout).
  torch::Tensor attention_map(const torch::Tensor& x, const torch::Tensor& key_mask);

  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Linear qkv{nullptr}, attention_out{nullptr}, ffn_in{nullptr}, ffn_out{nullptr};

 private:
  // x + addend and norm of it for a matmul's input: fused when the size asks for it.
  NormedSum add_normalize(const torch::nn::LayerNorm& norm, const torch::Tensor& x,
                          const torch::Tensor& addend);

  EncoderSize size_;
};
TORCH_MODULE(CrammedBlock);

class CrammedBert : public SizedEncoder {
 public:
  explicit CrammedBert(const EncoderSize& size, bool sparse_prediction = true);

  torch::Tensor hidden_states(const Batch& batch) override;
  torch::Tensor mlm_logits(const torch::Tensor& hidden) override;

  // Every block's attention probabilities [batch, heads, seq, seq] for the batch (the model's
  // current mode; call it in evaluation mode for analyses).
  std::vector<torch::Tensor> attention_maps(const Batch& batch);
  // Summed token and scaled position embeddings [batch, seq, hidden], before combine_extras.
  torch::Tensor embed_tokens(const torch::Tensor& input_ids);

  // Registered as: token_embedding, position_scale, embedding_norm, blocks.N.*, final_norm.
  torch::nn::Embedding token_embedding{nullptr};
  torch::Tensor position_table;  // buffer [max_positions, hidden], fixed sin/cos
  torch::Tensor position_scale;  // parameter, scalar, initialised to 1/sqrt(hidden)
  torch::nn::LayerNorm embedding_norm{nullptr}, final_norm{nullptr};
  torch::nn::ModuleList blocks{nullptr};

 protected:
  // What enters the first block: the embeddings with the extras combined, normalised (and dropped
  // out in training).
  torch::Tensor block_input(const Batch& batch);
};

// The fixed sinusoidal table [positions, hidden]: even columns sin, odd columns cos, base 10000.
torch::Tensor sinusoidal_positions(std::int64_t positions, std::int64_t hidden);

}  // namespace dac::model
