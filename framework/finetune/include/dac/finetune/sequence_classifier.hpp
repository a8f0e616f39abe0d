// A pretrained encoder with the GLUE head: the first token's final hidden state ([CLS]) →
// Linear(hidden, head_width) → tanh → dropout → Linear(head_width, labels); one output for
// regression (STS-B), trained with mean squared error, else cross-entropy.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include <memory>

#include "dac/kinds/encoder.hpp"

namespace dac::finetune {

class SequenceClassifier : public torch::nn::Module {
 public:
  // `labels` is 1 for regression. The head starts from N(0, 0.02) weights and zero biases.
  SequenceClassifier(std::shared_ptr<Encoder> encoder, int labels, std::int64_t head_width,
                     double dropout);

  // Logits [batch, labels], or scores [batch] for regression.
  torch::Tensor forward(const Batch& batch);
  // The mean loss of the batch against batch.labels.
  torch::Tensor loss(const Batch& batch);
  // Class indices (or scores for regression) as doubles, one per row.
  std::vector<double> predict(const Batch& batch);

  Encoder& encoder() { return *encoder_; }
  bool regression() const { return labels_ == 1; }

 private:
  std::shared_ptr<Encoder> encoder_;
  torch::nn::Linear dense_{nullptr}, out_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  int labels_;
};

}  // namespace dac::finetune
