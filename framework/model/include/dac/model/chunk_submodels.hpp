// The built-in stage-1 agreement submodels: `chunk_transformer`, a small Crammed-BERT-style
// encoder over the wordpieces of one chunk (2 × 256 × 4 by default), and `bag_of_embeddings`, a
// baseline where each position sees its own embedding plus the mean of its chunk's.
#pragma once

#include <torch/nn/modules/embedding.h>

#include <memory>

#include "dac/kinds/submodel.hpp"
#include "dac/model/crammed_bert.hpp"

namespace dac::model {

// The recipe's block type at submodel size; vocab_size must equal the main model's.
EncoderSize chunk_transformer_defaults();

class ChunkTransformer : public Submodel {
 public:
  explicit ChunkTransformer(const EncoderSize& size);
  // Chunks longer than max_positions are cut (the output has max_positions columns then).
  torch::Tensor embed(const torch::Tensor& chunk_ids) override;
  torch::Tensor mlm_logits(const torch::Tensor& hidden) override;
  std::int64_t embedding_dim() const override { return encoder_->hidden_size(); }
  double forward_flops_per_position(std::int64_t chunk_length) const override;
  double decoder_flops_per_prediction() const override;

 private:
  std::shared_ptr<CrammedBert> encoder_;
};

class BagOfEmbeddings : public Submodel {
 public:
  BagOfEmbeddings(std::int64_t vocab_size, std::int64_t dim, double init_std);
  torch::Tensor embed(const torch::Tensor& chunk_ids) override;
  torch::Tensor mlm_logits(const torch::Tensor& hidden) override;
  std::int64_t embedding_dim() const override { return dim_; }
  double forward_flops_per_position(std::int64_t chunk_length) const override;
  double decoder_flops_per_prediction() const override;

 private:
  torch::nn::Embedding embedding_{nullptr};
  std::int64_t dim_;
};

}  // namespace dac::model
