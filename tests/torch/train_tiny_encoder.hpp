// A tiny encoder for the training engine's tests: token embeddings, a LayerNorm, a decoder and
// an integer buffer, with the sparse MLM loss. Small enough that every test runs in milliseconds.
#pragma once

#include <torch/torch.h>

#include "dac/kinds/encoder.hpp"

namespace dac::test {

class TinyEncoder : public Encoder {
 public:
  explicit TinyEncoder(std::int64_t vocab = 11, std::int64_t hidden = 4)
      : vocab_(vocab), hidden_(hidden) {
    embedding = register_module("embedding", torch::nn::Embedding(vocab, hidden));
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden})));
    decoder = register_module("decoder", torch::nn::Linear(hidden, vocab));
    position_ids = register_buffer("position_ids", torch::arange(8, torch::kInt64));
  }

  torch::Tensor hidden_states(const Batch& batch) override {
    return norm(embedding(batch.input_ids));
  }
  torch::Tensor mlm_logits(const torch::Tensor& hidden) override { return decoder(hidden); }
  torch::Tensor mlm_loss(const Batch& batch) override {
    const torch::Tensor hidden =
        hidden_states(batch).flatten(0, 1).index_select(0, batch.mlm_positions);
    return torch::nn::functional::cross_entropy(mlm_logits(hidden), batch.mlm_labels);
  }
  std::int64_t hidden_size() const override { return hidden_; }
  std::int64_t vocab_size() const override { return vocab_; }
  std::int64_t max_positions() const override { return 8; }
  double train_flops_per_token(std::int64_t, double) const override {
    return 6.0 * static_cast<double>(hidden_ * vocab_);
  }
  ConfigNode describe() const override {
    ConfigNode table = ConfigNode::table();
    table.set("name", ConfigNode::string("tiny"));
    table.set("vocab_size", ConfigNode::integer(vocab_));
    table.set("hidden_size", ConfigNode::integer(hidden_));
    return table;
  }
  void set_dropout_enabled(bool) override {}

  torch::nn::Embedding embedding{nullptr};
  torch::nn::LayerNorm norm{nullptr};
  torch::nn::Linear decoder{nullptr};
  torch::Tensor position_ids;

 private:
  std::int64_t vocab_, hidden_;
};

// Rows of random ids with `masked_per_row` predicted positions each (the same count in every
// row, as the MLM batches have).
inline Batch tiny_batch(std::int64_t rows, std::int64_t seq_len, std::int64_t masked_per_row,
                        std::uint64_t seed, std::int64_t vocab = 11) {
  torch::manual_seed(seed);
  Batch batch;
  batch.input_ids = torch::randint(vocab, {rows, seq_len}, torch::kInt64);
  std::vector<std::int64_t> positions;
  for (std::int64_t row = 0; row < rows; ++row)
    for (std::int64_t k = 0; k < masked_per_row; ++k)
      positions.push_back(row * seq_len + (row + 2 * k) % seq_len);
  std::sort(positions.begin(), positions.end());
  batch.mlm_positions = torch::tensor(positions, torch::kInt64);
  batch.mlm_labels =
      torch::randint(vocab, {static_cast<std::int64_t>(positions.size())}, torch::kInt64);
  return batch;
}

// Rows [begin, end) of a batch made by tiny_batch.
inline Batch tiny_rows(const Batch& batch, std::int64_t begin, std::int64_t end) {
  Batch out;
  out.input_ids = batch.input_ids.slice(0, begin, end).clone();
  const std::int64_t seq_len = batch.seq_len();
  const torch::Tensor keep =
      (batch.mlm_positions >= begin * seq_len) & (batch.mlm_positions < end * seq_len);
  out.mlm_positions = batch.mlm_positions.masked_select(keep) - begin * seq_len;
  out.mlm_labels = batch.mlm_labels.masked_select(keep);
  return out;
}

}  // namespace dac::test
