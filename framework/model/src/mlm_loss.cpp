// The MLM cross-entropy, decoding only the masked positions (sparse) or every position (dense).
#include "dac/model/mlm_loss.hpp"

#include <torch/torch.h>

#include "dac/model/fused_ops.hpp"

namespace dac::model {

namespace {

constexpr std::int64_t kIgnoreIndex = -100;

}  // namespace

torch::Tensor sparse_mlm_loss(const torch::Tensor& hidden, const torch::Tensor& positions,
                              const torch::Tensor& labels, const Decoder& decode, bool fused) {
  const torch::Tensor selected = hidden.flatten(0, 1).index_select(0, positions);
  return cross_entropy_loss(decode(selected), labels, kIgnoreIndex, fused);
}

torch::Tensor dense_mlm_loss(const torch::Tensor& hidden, const torch::Tensor& positions,
                             const torch::Tensor& labels, const Decoder& decode, bool fused) {
  const torch::Tensor flat = hidden.flatten(0, 1);
  torch::Tensor targets = torch::full({flat.size(0)}, kIgnoreIndex, labels.options());
  targets.index_put_({positions}, labels);
  return cross_entropy_loss(decode(flat), targets, kIgnoreIndex, fused);
}

}  // namespace dac::model
