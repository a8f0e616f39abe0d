// The MLM cross-entropy, decoding only the masked positions (sparse) or every position (dense).
#include "dac/model/mlm_loss.hpp"

#include <torch/nn/functional/loss.h>

namespace dac::model {

namespace {

constexpr std::int64_t kIgnoreIndex = -100;

// Mean cross-entropy, at least in float32 (bf16 or fp16 logits under autocast are widened first;
// float64 stays float64).
torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets) {
  namespace F = torch::nn::functional;
  const bool reduced =
      logits.scalar_type() == torch::kBFloat16 || logits.scalar_type() == torch::kFloat16;
  return F::cross_entropy(reduced ? logits.to(torch::kFloat32) : logits, targets,
                          F::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex));
}

}  // namespace

torch::Tensor sparse_mlm_loss(const torch::Tensor& hidden, const torch::Tensor& positions,
                              const torch::Tensor& labels, const Decoder& decode) {
  const torch::Tensor selected = hidden.flatten(0, 1).index_select(0, positions);
  return cross_entropy(decode(selected), labels);
}

torch::Tensor dense_mlm_loss(const torch::Tensor& hidden, const torch::Tensor& positions,
                             const torch::Tensor& labels, const Decoder& decode) {
  const torch::Tensor flat = hidden.flatten(0, 1);
  torch::Tensor targets = torch::full({flat.size(0)}, kIgnoreIndex, labels.options());
  targets.index_put_({positions}, labels);
  return cross_entropy(decode(flat), targets);
}

}  // namespace dac::model
