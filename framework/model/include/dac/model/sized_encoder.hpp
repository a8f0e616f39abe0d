// What the encoders built from an EncoderSize share: their sizes, the MLM loss through their own
// decoder (sparse or dense prediction), the training FLOPs per token, describe() and the dropout
// switch. crammed_bert and bert_original derive from it and add their layers.
#pragma once

#include <cstdint>
#include <string>

#include "dac/kinds/encoder.hpp"
#include "dac/model/encoder_size.hpp"

namespace dac::model {

class SizedEncoder : public Encoder {
 public:
  // `name` is the plugin name describe() records; it also starts the messages of bad input.
  SizedEncoder(std::string name, const EncoderSize& size, bool sparse_prediction);

  torch::Tensor mlm_loss(const Batch& batch) override;
  std::int64_t hidden_size() const override { return size_.hidden; }
  std::int64_t vocab_size() const override { return size_.vocab_size; }
  std::int64_t max_positions() const override { return size_.max_positions; }
  double train_flops_per_token(std::int64_t sequence_length, double mlm_rate) const override;
  ConfigNode describe() const override;
  void set_dropout_enabled(bool enabled) override { dropout_enabled_ = enabled; }

  const EncoderSize& size() const { return size_; }
  bool sparse_prediction() const { return sparse_prediction_; }

 protected:
  bool dropout_active() const { return dropout_enabled_ && is_training(); }
  // The length of input_ids' rows, after checking that they are [batch, seq] and no longer than
  // max_positions.
  std::int64_t checked_sequence_length(const torch::Tensor& input_ids) const;
  // The batch's key-padding mask as bool, or undefined (attend everywhere).
  static torch::Tensor key_mask_of(const Batch& batch);

 private:
  std::string name_;
  EncoderSize size_;
  bool sparse_prediction_;
  bool dropout_enabled_ = true;
};

}  // namespace dac::model
