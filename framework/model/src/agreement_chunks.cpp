// Agreement chunks inside a batch: building, gathering their ids, and pooling back to tokens.
#include "dac/model/agreement_chunks.hpp"

#include <torch/torch.h>

#include <algorithm>

namespace dac::model {

std::string agreement_extra_name(const std::string& type) {
  return "agreement/" + type;
}

torch::Tensor chunk_positions_tensor(const std::vector<std::vector<std::int64_t>>& chunks,
                                     std::int64_t max_length) {
  torch::Tensor positions =
      torch::full({static_cast<std::int64_t>(chunks.size()), max_length}, -1, torch::kInt64);
  auto access = positions.accessor<std::int64_t, 2>();
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    const auto length = std::min<std::int64_t>(max_length, chunks[c].size());
    for (std::int64_t i = 0; i < length; ++i)
      access[static_cast<std::int64_t>(c)][i] = chunks[c][static_cast<std::size_t>(i)];
  }
  return positions;
}

torch::Tensor chunk_token_ids(const torch::Tensor& input_ids, const torch::Tensor& chunk_positions,
                              std::int64_t padding_id) {
  const torch::Tensor valid = chunk_positions.ge(0);
  const torch::Tensor ids =
      input_ids.reshape({-1}).index_select(0, chunk_positions.clamp_min(0).reshape({-1}));
  return torch::where(valid, ids.view_as(chunk_positions),
                      torch::full_like(chunk_positions, padding_id));
}

torch::Tensor mean_over_chunks(const torch::Tensor& chunk_embeddings,
                               const torch::Tensor& chunk_positions, std::int64_t tokens) {
  const std::int64_t dim = chunk_embeddings.size(-1);
  const torch::Tensor flat = chunk_positions.reshape({-1});
  const torch::Tensor valid = flat.ge(0).nonzero().squeeze(1);
  const torch::Tensor targets = flat.index_select(0, valid);
  const torch::Tensor values = chunk_embeddings.reshape({-1, dim}).index_select(0, valid);
  const torch::Tensor sums =
      torch::zeros({tokens, dim}, values.options()).index_add(0, targets, values);
  const torch::Tensor counts =
      torch::zeros({tokens}, values.options())
          .index_add(0, targets, torch::ones_like(targets, values.options()));
  return sums / counts.clamp_min(1).unsqueeze(1);
}

torch::Tensor chunk_membership(const torch::Tensor& chunk_positions, std::int64_t tokens) {
  const torch::Tensor flat = chunk_positions.reshape({-1});
  const torch::Tensor targets = flat.index_select(0, flat.ge(0).nonzero().squeeze(1));
  return torch::zeros({tokens}, torch::kFloat32)
      .to(chunk_positions.device())
      .index_fill(0, targets, 1.0);
}

torch::Tensor shift_chunks_to_next_row(const torch::Tensor& chunk_positions, std::int64_t seq_len,
                                       std::int64_t rows) {
  const torch::Tensor shifted = (chunk_positions + seq_len).remainder(seq_len * rows);
  return torch::where(chunk_positions.ge(0), shifted, chunk_positions);
}

}  // namespace dac::model
