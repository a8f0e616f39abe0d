// Scaled dot-product attention: the fused kernel of torch 2.x, or the explicit softmax form.
#include "dac/model/attention.hpp"

#include <cmath>
#include <limits>

#include "dac/torch_version.hpp"

namespace dac::model {

namespace {

// [batch, seq] key mask as [batch, 1, 1, seq] bool, broadcast over heads and queries.
torch::Tensor broadcast_key_mask(const torch::Tensor& key_mask) {
  return key_mask.to(torch::kBool).unsqueeze(1).unsqueeze(2);
}

}  // namespace

std::array<torch::Tensor, 3> split_qkv(const torch::Tensor& projection, std::int64_t heads) {
  const std::int64_t batch = projection.size(0), seq = projection.size(1);
  const std::int64_t head_dim = projection.size(2) / 3 / heads;
  const std::vector<torch::Tensor> parts =
      projection.view({batch, seq, 3, heads, head_dim}).permute({2, 0, 3, 1, 4}).unbind(0);
  return {parts[0], parts[1], parts[2]};
}

torch::Tensor self_attention(const torch::Tensor& projection, std::int64_t heads,
                             const torch::Tensor& key_mask, double dropout_p) {
  const std::int64_t batch = projection.size(0), seq = projection.size(1);
  const auto [q, k, v] = split_qkv(projection, heads);
  return attention(q, k, v, key_mask, dropout_p)
      .transpose(1, 2)
      .reshape({batch, seq, projection.size(2) / 3});
}

torch::Tensor attention_probabilities(const torch::Tensor& q, const torch::Tensor& k,
                                      const torch::Tensor& key_mask) {
  const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
  torch::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) * scale;
  if (key_mask.defined())
    scores = scores.masked_fill(broadcast_key_mask(key_mask).logical_not(),
                                -std::numeric_limits<double>::infinity());
  return torch::softmax(scores, -1);
}

torch::Tensor attention_reference(const torch::Tensor& q, const torch::Tensor& k,
                                  const torch::Tensor& v, const torch::Tensor& key_mask,
                                  double dropout_p) {
  torch::Tensor probabilities = attention_probabilities(q, k, key_mask);
  if (dropout_p > 0) probabilities = torch::dropout(probabilities, dropout_p, /*train=*/true);
  return torch::matmul(probabilities, v);
}

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& key_mask, double dropout_p) {
#if DAC_TORCH_AT_LEAST(2, 0)
  c10::optional<torch::Tensor> mask;
  if (key_mask.defined()) mask = broadcast_key_mask(key_mask);
  return at::scaled_dot_product_attention(q, k, v, mask, dropout_p, /*is_causal=*/false);
#else
  return attention_reference(q, k, v, key_mask, dropout_p);
#endif
}

bool fused_attention_available() {
  return DAC_TORCH_AT_LEAST(2, 0);
}

}  // namespace dac::model
