// Plugin kind `submodel` (needs torch): a stage-1 agreement model. It reads the wordpieces of
// chunks of one agreement type and returns one embedding per chunk position.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <string_view>

namespace dac {

class Submodel : public torch::nn::Module {
 public:
  static constexpr std::string_view kind = "submodel";
  ~Submodel() override = default;

  // chunk_ids [chunks, length] int64 (0 = padding) -> [chunks, length, embedding_dim()].
  virtual torch::Tensor embed(const torch::Tensor& chunk_ids) = 0;
  // MLM logits for hidden states [n, embedding_dim()] -> [n, vocab].
  virtual torch::Tensor mlm_logits(const torch::Tensor& hidden) = 0;
  virtual std::int64_t embedding_dim() const = 0;
  // Forward FLOPs of embed() per chunk position when chunks are `chunk_length` wordpieces long
  // (counted as the encoders count theirs: 2 per weight outside the embedding, plus attention).
  virtual double forward_flops_per_position(std::int64_t chunk_length) const = 0;
  // Forward FLOPs of mlm_logits() per predicted position.
  virtual double decoder_flops_per_prediction() const = 0;
};

}  // namespace dac
