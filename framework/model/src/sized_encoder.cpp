// The parts every EncoderSize-built encoder shares: MLM loss, FLOPs per token, description and
// the checks of its input ids.
#include "dac/model/sized_encoder.hpp"

#include <stdexcept>
#include <utility>

#include "dac/error.hpp"
#include "dac/model/mlm_loss.hpp"

namespace dac::model {

SizedEncoder::SizedEncoder(std::string name, const EncoderSize& size, bool sparse_prediction)
    : name_(std::move(name)), size_(size), sparse_prediction_(sparse_prediction) {
  if (size.hidden % size.heads != 0)
    throw std::invalid_argument(name_ + ": hidden " + std::to_string(size.hidden) +
                                " is not a multiple of heads " + std::to_string(size.heads));
}

torch::Tensor SizedEncoder::mlm_loss(const Batch& batch) {
  const torch::Tensor hidden = hidden_states(batch);
  const Decoder decode = [this](const torch::Tensor& h) { return mlm_logits(h); };
  const bool fused = size_.fused_kernels;
  return sparse_prediction_
             ? sparse_mlm_loss(hidden, batch.mlm_positions, batch.mlm_labels, decode, fused)
             : dense_mlm_loss(hidden, batch.mlm_positions, batch.mlm_labels, decode, fused);
}

double SizedEncoder::train_flops_per_token(std::int64_t sequence_length, double mlm_rate) const {
  const double parameters = static_cast<double>(parameter_count());
  const double embedding = static_cast<double>(size_.vocab_size) * size_.hidden;
  const double predicted = sparse_prediction_ ? mlm_rate : 1.0;
  return 6 * (parameters - embedding) + 6 * embedding * predicted +
         6.0 * size_.layers * size_.hidden * 2 * static_cast<double>(sequence_length);
}

ConfigNode SizedEncoder::describe() const {
  ConfigNode table = ConfigNode::table();
  table.set("name", ConfigNode::string(name_));
  table.set("sparse_prediction", ConfigNode::boolean(sparse_prediction_));
  write_encoder_size(size_, table);
  table.set("parameters", ConfigNode::integer(parameter_count()));
  return table;
}

std::int64_t SizedEncoder::checked_sequence_length(const torch::Tensor& input_ids) const {
  if (input_ids.dim() != 2)
    throw std::invalid_argument(name_ + ": input_ids must be [batch, seq], got " +
                                std::to_string(input_ids.dim()) + " dimensions");
  const std::int64_t seq = input_ids.size(1);
  if (seq > size_.max_positions)
    throw UserError(name_ + ": rows of " + std::to_string(seq) +
                    " tokens are longer than the encoder's max_positions (" +
                    std::to_string(size_.max_positions) + "); raise max_positions");
  return seq;
}

torch::Tensor SizedEncoder::key_mask_of(const Batch& batch) {
  return batch.attention_mask.defined() ? batch.attention_mask.to(torch::kBool) : torch::Tensor();
}

}  // namespace dac::model
