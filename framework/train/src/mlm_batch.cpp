// MLM batches from the text pipeline as int64 tensors, with the masked positions gathered once
// on the host so the encoder decodes only those.
#include "dac/train/mlm_batch.hpp"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace dac::train {

Batch to_batch(const text::MlmBatch& batch, std::int64_t seq_len, bool pin) {
  const auto size = static_cast<std::int64_t>(batch.inputs.size());
  if (seq_len < 1 || size % seq_len != 0 || batch.labels.size() != batch.inputs.size())
    throw std::invalid_argument("an MLM batch of " + std::to_string(batch.inputs.size()) +
                                " ids and " + std::to_string(batch.labels.size()) +
                                " labels does not split into rows of " + std::to_string(seq_len));
  const std::int64_t rows = size / seq_len;
  // Pinned memory only helps copies to a GPU (and needs one).
  const auto options =
      torch::TensorOptions().dtype(torch::kInt64).pinned_memory(pin && torch::cuda::is_available());

  Batch out;
  out.input_ids = torch::empty({rows, seq_len}, options);
  std::int64_t* ids = out.input_ids.data_ptr<std::int64_t>();
  std::int64_t masked = 0;
  for (std::int64_t i = 0; i < size; ++i) {
    ids[i] = batch.inputs[i];
    if (batch.labels[i] != text::kIgnoreLabel) ++masked;
  }
  out.mlm_positions = torch::empty({masked}, options);
  out.mlm_labels = torch::empty({masked}, options);
  std::int64_t* positions = out.mlm_positions.data_ptr<std::int64_t>();
  std::int64_t* labels = out.mlm_labels.data_ptr<std::int64_t>();
  std::int64_t next = 0;
  for (std::int64_t i = 0; i < size; ++i) {
    if (batch.labels[i] == text::kIgnoreLabel) continue;
    positions[next] = i;
    labels[next] = batch.labels[i];
    ++next;
  }
  return out;
}

}  // namespace dac::train
