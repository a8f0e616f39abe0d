// The classic post-LayerNorm BERT encoder with its MLM head (transform, GELU, LayerNorm, tied
// decoder with bias).
#include "dac/model/bert_original.hpp"

#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/linear.h>
#include <torch/nn/init.h>

#include <string>

#include "dac/model/attention.hpp"
#include "layers.hpp"

namespace dac::model {

namespace F = torch::nn::functional;
using detail::hidden_layer_norm;
using detail::maybe_dropout;

namespace {

torch::nn::Embedding embedding(std::int64_t rows, std::int64_t hidden) {
  return torch::nn::Embedding(torch::nn::EmbeddingOptions(rows, hidden));
}

}  // namespace

BertBlockImpl::BertBlockImpl(const EncoderSize& size) : size_(size) {
  qkv = register_module("qkv", torch::nn::Linear(size.hidden, 3 * size.hidden));
  attention_out = register_module("attention_out", torch::nn::Linear(size.hidden, size.hidden));
  attention_norm = register_module("attention_norm", hidden_layer_norm(size));
  ffn_in = register_module("ffn_in", torch::nn::Linear(size.hidden, size.intermediate));
  ffn_out = register_module("ffn_out", torch::nn::Linear(size.intermediate, size.hidden));
  ffn_norm = register_module("ffn_norm", hidden_layer_norm(size));
}

torch::Tensor BertBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& key_mask,
                                     bool dropout_on) {
  const torch::Tensor attended =
      self_attention(qkv(x), size_.heads, key_mask, dropout_on ? size_.attention_dropout : 0.0);
  const torch::Tensor out =
      attention_norm(x + maybe_dropout(attention_out(attended), size_.hidden_dropout, dropout_on));
  return ffn_norm(out +
                  maybe_dropout(ffn_out(F::gelu(ffn_in(out))), size_.hidden_dropout, dropout_on));
}

BertOriginal::BertOriginal(const EncoderSize& size, bool sparse_prediction)
    : SizedEncoder("bert_original", size, sparse_prediction) {
  token_embedding = register_module(
      "token_embedding",
      torch::nn::Embedding(
          torch::nn::EmbeddingOptions(size.vocab_size, size.hidden).padding_idx(size.padding_id)));
  position_embedding =
      register_module("position_embedding", embedding(size.max_positions, size.hidden));
  if (size.type_vocab_size > 0)
    type_embedding =
        register_module("type_embedding", embedding(size.type_vocab_size, size.hidden));
  embedding_norm = register_module("embedding_norm", hidden_layer_norm(size));
  blocks = register_module("blocks", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < size.layers; ++i) blocks->push_back(BertBlock(size));
  head_transform = register_module("head_transform", torch::nn::Linear(size.hidden, size.hidden));
  head_norm = register_module("head_norm", hidden_layer_norm(size));
  decoder_bias = register_parameter("decoder_bias", torch::zeros({size.vocab_size}));

  torch::NoGradGuard no_grad;
  for (const auto& module : modules(/*include_self=*/false)) {
    if (auto* l = module->as<torch::nn::LinearImpl>()) {
      torch::nn::init::normal_(l->weight, 0.0, size.init_std);
      torch::nn::init::zeros_(l->bias);
    } else if (auto* e = module->as<torch::nn::EmbeddingImpl>()) {
      torch::nn::init::normal_(e->weight, 0.0, size.init_std);
    }
  }
  token_embedding->weight[size.padding_id].zero_();
}

torch::Tensor BertOriginal::hidden_states(const Batch& batch) {
  const torch::Tensor& ids = batch.input_ids;
  const std::int64_t seq = checked_sequence_length(ids);
  const bool dropout_on = dropout_active();
  const torch::Tensor positions =
      torch::arange(seq, torch::TensorOptions().dtype(torch::kLong).device(ids.device()));
  torch::Tensor x = token_embedding(ids) + position_embedding(positions);
  if (type_embedding) {
    x = x + (batch.token_type_ids.defined() ? type_embedding(batch.token_type_ids)
                                            : type_embedding->weight[0]);
  }
  x = maybe_dropout(embedding_norm(combine_extras(x, batch)), size().embedding_dropout, dropout_on);
  const torch::Tensor key_mask = key_mask_of(batch);
  for (const auto& block : *blocks)
    x = block->as<BertBlockImpl>()->forward(x, key_mask, dropout_on);
  return x;
}

torch::Tensor BertOriginal::mlm_logits(const torch::Tensor& hidden) {
  const torch::Tensor transformed = head_norm(F::gelu(head_transform(hidden)));
  return F::linear(transformed, token_embedding->weight, decoder_bias);
}

}  // namespace dac::model
