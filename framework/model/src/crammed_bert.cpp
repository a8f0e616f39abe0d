// The Crammed BERT encoder: pre-LN blocks, GELU-GLU feed-forward, scaled sinusoidal positions and
// a tied bias-free decoder.
#include "dac/model/crammed_bert.hpp"

#include <torch/nn/functional/linear.h>
#include <torch/nn/init.h>

#include <cmath>
#include <string>

#include "dac/model/attention.hpp"
#include "dac/model/fused_ops.hpp"
#include "layers.hpp"

namespace dac::model {

namespace F = torch::nn::functional;
using detail::hidden_layer_norm;
using detail::maybe_dropout;

namespace {

torch::nn::Linear linear(std::int64_t in, std::int64_t out) {
  return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
}

}  // namespace

torch::Tensor sinusoidal_positions(std::int64_t positions, std::int64_t hidden) {
  const auto options = torch::TensorOptions().dtype(torch::kFloat32);
  const torch::Tensor position = torch::arange(positions, options).unsqueeze(1);
  const torch::Tensor frequency =
      torch::exp(-std::log(10000.0) * torch::arange(0, hidden, 2, options) / hidden);
  const torch::Tensor angle = position * frequency;  // [positions, ceil(hidden / 2)]
  torch::Tensor table = torch::zeros({positions, hidden}, options);
  using torch::indexing::None;
  using torch::indexing::Slice;
  table.index_put_({Slice(), Slice(0, None, 2)}, torch::sin(angle));
  table.index_put_({Slice(), Slice(1, None, 2)}, torch::cos(angle).narrow(1, 0, hidden / 2));
  return table;
}

CrammedBlockImpl::CrammedBlockImpl(const EncoderSize& size) : size_(size) {
  norm1 = register_module("norm1", hidden_layer_norm(size));
  qkv = register_module("qkv", linear(size.hidden, 3 * size.hidden));
  attention_out = register_module("attention_out", linear(size.hidden, size.hidden));
  norm2 = register_module("norm2", hidden_layer_norm(size));
  ffn_in = register_module("ffn_in", linear(size.hidden, size.intermediate));
  ffn_out = register_module("ffn_out", linear(size.intermediate / 2, size.hidden));
}

torch::Tensor CrammedBlockImpl::attention_map(const torch::Tensor& x,
                                              const torch::Tensor& key_mask) {
  const auto [q, k, v] = split_qkv(qkv(norm1(x)), size_.heads);
  return attention_probabilities(q, k, key_mask);
}

NormedSum CrammedBlockImpl::add_normalize(const torch::nn::LayerNorm& norm, const torch::Tensor& x,
                                          const torch::Tensor& addend) {
  return add_layer_norm(x, addend, norm->weight, norm->bias, size_.norm_eps, size_.fused_kernels);
}

ResidualStream CrammedBlockImpl::forward(const ResidualStream& in, const torch::Tensor& key_mask,
                                         bool dropout_on) {
  const auto [x, normed_x] = add_normalize(norm1, in.base, in.branch);
  const torch::Tensor attended = self_attention(qkv(normed_x), size_.heads, key_mask,
                                                dropout_on ? size_.attention_dropout : 0.0);
  const torch::Tensor attention_branch =
      maybe_dropout(attention_out(attended), size_.hidden_dropout, dropout_on);
  const auto [out, normed_out] = add_normalize(norm2, x, attention_branch);
  const torch::Tensor glu = gelu_glu(ffn_in(normed_out), size_.fused_kernels);
  return {out, maybe_dropout(ffn_out(glu), size_.hidden_dropout, dropout_on)};
}

CrammedBert::CrammedBert(const EncoderSize& size, bool sparse_prediction)
    : SizedEncoder("crammed_bert", size, sparse_prediction) {
  if (size.intermediate % 2 != 0)
    throw std::invalid_argument("crammed_bert: intermediate " + std::to_string(size.intermediate) +
                                " must be even (the GLU splits it in halves)");
  token_embedding = register_module(
      "token_embedding",
      torch::nn::Embedding(
          torch::nn::EmbeddingOptions(size.vocab_size, size.hidden).padding_idx(size.padding_id)));
  position_scale = register_parameter(
      "position_scale", torch::full({}, 1.0 / std::sqrt(static_cast<double>(size.hidden))));
  position_table =
      register_buffer("position_table", sinusoidal_positions(size.max_positions, size.hidden));
  embedding_norm = register_module("embedding_norm", hidden_layer_norm(size));
  blocks = register_module("blocks", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < size.layers; ++i) blocks->push_back(CrammedBlock(size));
  final_norm = register_module("final_norm", hidden_layer_norm(size));

  torch::NoGradGuard no_grad;
  for (const auto& module : modules(/*include_self=*/false)) {
    if (auto* l = module->as<torch::nn::LinearImpl>()) {
      torch::nn::init::normal_(l->weight, 0.0, size.init_std);
    } else if (auto* e = module->as<torch::nn::EmbeddingImpl>()) {
      torch::nn::init::normal_(e->weight, 0.0, size.init_std);
      e->weight[size.padding_id].zero_();
    }
  }
}

torch::Tensor CrammedBert::embed_tokens(const torch::Tensor& input_ids) {
  const std::int64_t seq = checked_sequence_length(input_ids);
  return token_embedding(input_ids) + position_scale * position_table.narrow(0, 0, seq);
}

torch::Tensor CrammedBert::block_input(const Batch& batch) {
  const torch::Tensor x = combine_extras(embed_tokens(batch.input_ids), batch);
  return maybe_dropout(embedding_norm(x), size().embedding_dropout, dropout_active());
}

torch::Tensor CrammedBert::hidden_states(const Batch& batch) {
  const bool dropout_on = dropout_active();
  ResidualStream stream{block_input(batch), {}};
  const torch::Tensor key_mask = key_mask_of(batch);
  for (const auto& block : *blocks)
    stream = block->as<CrammedBlockImpl>()->forward(stream, key_mask, dropout_on);
  return final_norm(stream.sum());
}

std::vector<torch::Tensor> CrammedBert::attention_maps(const Batch& batch) {
  const bool dropout_on = dropout_active();
  torch::Tensor x = block_input(batch);
  const torch::Tensor key_mask = key_mask_of(batch);
  std::vector<torch::Tensor> maps;
  for (const auto& block : *blocks) {
    auto* crammed_block = block->as<CrammedBlockImpl>();
    maps.push_back(crammed_block->attention_map(x, key_mask));
    x = crammed_block->forward(x, key_mask, dropout_on);
  }
  return maps;
}

torch::Tensor CrammedBert::mlm_logits(const torch::Tensor& hidden) {
  return F::linear(hidden, token_embedding->weight);
}

}  // namespace dac::model
