// Plugin kind `encoder` (needs torch): the main model. Token ids, plus optional per-token
// features such as agreement embeddings, become hidden states; MLM logits come from the hidden
// states of the masked positions only (sparse prediction).
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <map>
#include <string>
#include <string_view>

namespace dac {

struct EncoderBatch {
  torch::Tensor input_ids;       // [batch, seq] int64
  torch::Tensor attention_mask;  // [batch, seq] bool, true = attend; undefined = all tokens
  // Extra per-token inputs keyed by name, e.g. "agreement/subject_verb" -> [batch, seq, dim].
  std::map<std::string, torch::Tensor> features;
};

class Encoder : public torch::nn::Module {
 public:
  static constexpr std::string_view kind = "encoder";
  ~Encoder() override = default;

  virtual torch::Tensor hidden_states(const EncoderBatch& batch) = 0;  // [batch, seq, hidden]
  virtual torch::Tensor mlm_logits(const torch::Tensor& hidden) = 0;   // [n, hidden] -> [n, vocab]
  virtual std::int64_t hidden_size() const = 0;
  virtual std::int64_t vocab_size() const = 0;
  // Forward + backward FLOPs per token at this sequence length, for budgets and MFU.
  virtual double train_flops_per_token(std::int64_t sequence_length) const = 0;
};

}  // namespace dac
