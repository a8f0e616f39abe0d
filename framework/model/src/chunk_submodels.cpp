// The built-in stage-1 agreement submodels.
#include "dac/model/chunk_submodels.hpp"

#include <torch/torch.h>

#include <algorithm>

namespace dac::model {

EncoderSize chunk_transformer_defaults() {
  EncoderSize size;
  size.hidden = 256;
  size.layers = 2;
  size.heads = 4;
  size.intermediate = 1024;
  size.max_positions = 32;
  return size;
}

ChunkTransformer::ChunkTransformer(const EncoderSize& size)
    : encoder_(register_module("encoder", std::make_shared<CrammedBert>(size))) {}

torch::Tensor ChunkTransformer::embed(const torch::Tensor& chunk_ids) {
  Batch batch;
  // Chunks longer than the submodel's positions keep their first words.
  batch.input_ids = chunk_ids.narrow(1, 0, std::min(chunk_ids.size(1), encoder_->max_positions()));
  batch.attention_mask = batch.input_ids.ne(encoder_->size().padding_id);
  return encoder_->hidden_states(batch);
}

torch::Tensor ChunkTransformer::mlm_logits(const torch::Tensor& hidden) {
  return encoder_->mlm_logits(hidden);
}

double ChunkTransformer::forward_flops_per_position(std::int64_t chunk_length) const {
  // The encoder's training count with nothing predicted is three forward passes' worth.
  const std::int64_t length = std::min(chunk_length, encoder_->max_positions());
  return encoder_->train_flops_per_token(length, 0.0) / 3;
}

double ChunkTransformer::decoder_flops_per_prediction() const {
  return 2.0 * static_cast<double>(encoder_->vocab_size() * encoder_->hidden_size());
}

BagOfEmbeddings::BagOfEmbeddings(std::int64_t vocab_size, std::int64_t dim, double init_std)
    : dim_(dim) {
  embedding_ = register_module(
      "embedding",
      torch::nn::Embedding(torch::nn::EmbeddingOptions(vocab_size, dim).padding_idx(0)));
  torch::NoGradGuard no_grad;
  embedding_->weight.normal_(0, init_std);
  embedding_->weight[0].zero_();
}

torch::Tensor BagOfEmbeddings::embed(const torch::Tensor& chunk_ids) {
  const torch::Tensor own = embedding_(chunk_ids);                              // [C, L, D]
  const torch::Tensor present = chunk_ids.ne(0).unsqueeze(-1).to(own.dtype());  // [C, L, 1]
  const torch::Tensor mean = (own * present).sum(1, true) / present.sum(1, true).clamp_min(1);
  return (own + mean) * present;
}

double BagOfEmbeddings::forward_flops_per_position(std::int64_t chunk_length) const {
  (void)chunk_length;
  return 3.0 * static_cast<double>(dim_);  // the chunk mean, the sum and the mask
}

double BagOfEmbeddings::decoder_flops_per_prediction() const {
  return 2.0 * static_cast<double>(embedding_->weight.size(0) * dim_);
}

torch::Tensor BagOfEmbeddings::mlm_logits(const torch::Tensor& hidden) {
  return torch::nn::functional::linear(hidden, embedding_->weight);
}

}  // namespace dac::model
