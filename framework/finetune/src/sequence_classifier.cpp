// The GLUE classification head on a pretrained encoder.
#include "dac/finetune/sequence_classifier.hpp"

#include <torch/torch.h>

namespace dac::finetune {

SequenceClassifier::SequenceClassifier(std::shared_ptr<Encoder> encoder, int labels,
                                       std::int64_t head_width, double dropout)
    : encoder_(register_module("encoder", std::move(encoder))), labels_(labels) {
  const std::int64_t hidden = encoder_->hidden_size();
  dense_ = register_module("head_dense", torch::nn::Linear(hidden, head_width));
  out_ = register_module("head_out", torch::nn::Linear(head_width, labels));
  dropout_ = register_module("head_dropout", torch::nn::Dropout(dropout));
  torch::NoGradGuard no_grad;
  for (auto* layer : {&dense_, &out_}) {
    (*layer)->weight.normal_(0, 0.02);
    (*layer)->bias.zero_();
  }
}

torch::Tensor SequenceClassifier::forward(const Batch& batch) {
  const torch::Tensor first = encoder_->hidden_states(batch).select(1, 0);
  torch::Tensor logits = out_->forward(dropout_->forward(torch::tanh(dense_->forward(first))));
  return regression() ? logits.squeeze(-1) : logits;
}

torch::Tensor SequenceClassifier::loss(const Batch& batch) {
  const torch::Tensor output = forward(batch).to(torch::kFloat32);
  if (regression()) return torch::mse_loss(output, batch.labels.to(torch::kFloat32));
  return torch::nn::functional::cross_entropy(output, batch.labels);
}

std::vector<double> SequenceClassifier::predict(const Batch& batch) {
  const torch::Tensor output = forward(batch).to(torch::kFloat32);
  const torch::Tensor values =
      (regression() ? output : output.argmax(-1)).to(torch::kCPU, torch::kFloat64).contiguous();
  return {values.data_ptr<double>(), values.data_ptr<double>() + values.numel()};
}

}  // namespace dac::finetune
