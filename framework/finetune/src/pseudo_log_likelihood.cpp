// Pseudo-log-likelihood scoring: every maskable position of every sentence becomes one row of a
// batch; rows are ordered by sentence length so that a batch pads little.
#include "dac/finetune/pseudo_log_likelihood.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

#include "dac/kinds/encoder.hpp"
#include "dac/train/compute.hpp"

namespace dac::finetune {
namespace {

struct MaskedRow {
  std::size_t sentence = 0;
  std::size_t position = 0;  // the masked position in the sentence's ids
};

// One row per position strictly between the first and last id, shorter sentences first.
std::vector<MaskedRow> masked_rows(const std::vector<std::vector<std::int32_t>>& sentences) {
  std::vector<std::size_t> order(sentences.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return sentences[a].size() < sentences[b].size();
  });
  std::vector<MaskedRow> rows;
  for (std::size_t sentence : order)
    for (std::size_t position = 1; position + 1 < sentences[sentence].size(); ++position)
      rows.push_back({sentence, position});
  return rows;
}

// The batch of rows [begin, end): each row its sentence with [MASK] at its position, padded to
// the longest; mlm_positions and mlm_labels give the masked position and original id per row.
Batch masked_batch(const std::vector<std::vector<std::int32_t>>& sentences,
                   const std::vector<MaskedRow>& rows, std::size_t begin, std::size_t end,
                   std::int32_t mask_id, std::int32_t pad_id) {
  std::size_t width = 1;
  for (std::size_t r = begin; r < end; ++r)
    width = std::max(width, sentences[rows[r].sentence].size());
  const auto count = static_cast<std::int64_t>(end - begin);
  const auto columns = static_cast<std::int64_t>(width);
  torch::Tensor ids = torch::full({count, columns}, pad_id, torch::kInt64);
  torch::Tensor mask = torch::zeros({count, columns}, torch::kBool);
  torch::Tensor positions = torch::empty({count}, torch::kInt64);
  torch::Tensor labels = torch::empty({count}, torch::kInt64);
  auto id_rows = ids.accessor<std::int64_t, 2>();
  auto mask_rows = mask.accessor<bool, 2>();
  auto position_of = positions.accessor<std::int64_t, 1>();
  auto label_of = labels.accessor<std::int64_t, 1>();
  for (std::int64_t row = 0; row < count; ++row) {
    const MaskedRow& masked = rows[begin + static_cast<std::size_t>(row)];
    const std::vector<std::int32_t>& sentence = sentences[masked.sentence];
    for (std::size_t column = 0; column < sentence.size(); ++column) {
      id_rows[row][static_cast<std::int64_t>(column)] = sentence[column];
      mask_rows[row][static_cast<std::int64_t>(column)] = true;
    }
    const auto position = static_cast<std::int64_t>(masked.position);
    id_rows[row][position] = mask_id;
    position_of[row] = row * columns + position;
    label_of[row] = sentence[masked.position];
  }
  Batch batch;
  batch.input_ids = ids;
  batch.attention_mask = mask;
  batch.mlm_positions = positions;
  batch.mlm_labels = labels;
  return batch;
}

// log p(label) at each masked position of the batch, in float64 on the CPU.
torch::Tensor masked_log_probabilities(Encoder& encoder, const Batch& batch,
                                       const train::Compute& compute) {
  torch::Tensor logits;
  {
    train::AutocastGuard autocast(compute);
    const torch::Tensor hidden =
        encoder.hidden_states(batch).flatten(0, 1).index_select(0, batch.mlm_positions);
    logits = encoder.mlm_logits(hidden);
  }
  return logits.to(torch::kFloat32)
      .log_softmax(-1)
      .gather(1, batch.mlm_labels.unsqueeze(1))
      .squeeze(1)
      .to(torch::kCPU, torch::kFloat64);
}

}  // namespace

std::vector<double> pseudo_log_likelihoods(Encoder& encoder,
                                           const std::vector<std::vector<std::int32_t>>& sentences,
                                           std::int32_t mask_id, std::int32_t pad_id,
                                           const train::Compute& compute,
                                           const PllOptions& options) {
  std::vector<double> scores(sentences.size(), 0.0);
  const std::vector<MaskedRow> rows = masked_rows(sentences);
  const std::size_t batch_size = std::max<std::size_t>(1, options.batch_size);
  const bool was_training = encoder.is_training();
  encoder.eval();
  {
    c10::InferenceMode inference;
    for (std::size_t begin = 0; begin < rows.size(); begin += batch_size) {
      const std::size_t end = std::min(rows.size(), begin + batch_size);
      Batch batch = masked_batch(sentences, rows, begin, end, mask_id, pad_id);
      if (options.hook) {
        std::vector<std::size_t> sentence_of_row;
        sentence_of_row.reserve(end - begin);
        for (std::size_t r = begin; r < end; ++r) sentence_of_row.push_back(rows[r].sentence);
        options.hook(sentence_of_row, batch);
      }
      const torch::Tensor log_probabilities =
          masked_log_probabilities(encoder, batch.to(compute.device), compute);
      const auto values = log_probabilities.accessor<double, 1>();
      for (std::size_t r = begin; r < end; ++r)
        scores[rows[r].sentence] += values[static_cast<std::int64_t>(r - begin)];
      if (options.progress) options.progress(end, rows.size());
    }
  }
  encoder.train(was_training);
  return scores;
}

}  // namespace dac::finetune
