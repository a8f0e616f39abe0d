// The MLM cross-entropy, decoding only the masked positions (sparse) or every position (dense).
#include "dac/model/mlm_loss.hpp"

#include <torch/nn/functional/loss.h>

namespace dac::model {

namespace {

constexpr std::int64_t kIgnoreIndex = -100;

// Mean cross-entropy in the logits' own precision (under bf16 autocast: bf16 with float
// accumulation, as the Python reference computes it; widening 8192 × 32768 logits first costs
// about 2 % of a training step), returned as at least float32.
torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets) {
  namespace F = torch::nn::functional;
  const torch::Tensor loss =
      F::cross_entropy(logits, targets, F::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex));
  return loss.scalar_type() == torch::kFloat64 ? loss : loss.to(torch::kFloat32);
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
