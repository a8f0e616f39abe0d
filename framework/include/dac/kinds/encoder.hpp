// Plugin kind `encoder` (needs torch): the main model. A Batch of token ids (plus an optional
// attention mask and named extra per-token inputs such as agreement embeddings) becomes hidden
// states; MLM logits come from the hidden states of the masked positions only (sparse
// prediction) unless the variant predicts densely.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dac/config.hpp"

namespace dac {

// The batch type of pretraining, fine-tuning and probing. Undefined tensors are absent.
struct Batch {
  torch::Tensor input_ids;       // [batch, seq] int64
  torch::Tensor attention_mask;  // [batch, seq] bool, true = real token; undefined = all real
  torch::Tensor token_type_ids;  // [batch, seq] int64 segment ids; undefined = all 0
  torch::Tensor mlm_positions;   // [n] int64 flat indices into batch·seq, ascending
  torch::Tensor mlm_labels;      // [n] int64 original ids at mlm_positions
  torch::Tensor labels;          // [batch] task labels (int64 classes or float regression targets)
  // Named extra per-token inputs, e.g. "agreement/subject_verb" -> [batch, seq, ...]. Only an
  // encoder variant that consumes a name reads it (see Encoder::combine_extras).
  std::map<std::string, torch::Tensor> extras;

  std::int64_t rows() const { return input_ids.size(0); }
  std::int64_t seq_len() const { return input_ids.size(1); }
  std::int64_t tokens() const { return input_ids.numel(); }
  // Every defined tensor moved to `device` (non_blocking copies from pinned memory when asked).
  Batch to(const torch::Device& device, bool non_blocking = false) const {
    return map([&](const torch::Tensor& t) { return t.to(device, non_blocking); });
  }
  // Every defined tensor in page-locked host memory (for overlapped host-to-device copies).
  Batch pinned() const {
    return map([](const torch::Tensor& t) { return t.pin_memory(); });
  }
  // A copy with `f` applied to every defined tensor.
  template <class F>
  Batch map(F f) const {
    auto apply = [&](const torch::Tensor& t) { return t.defined() ? f(t) : t; };
    Batch out;
    out.input_ids = apply(input_ids);
    out.attention_mask = apply(attention_mask);
    out.token_type_ids = apply(token_type_ids);
    out.mlm_positions = apply(mlm_positions);
    out.mlm_labels = apply(mlm_labels);
    out.labels = apply(labels);
    for (const auto& [name, tensor] : extras) out.extras[name] = apply(tensor);
    return out;
  }
};

class Encoder : public torch::nn::Module {
 public:
  static constexpr std::string_view kind = "encoder";
  ~Encoder() override = default;

  // Final hidden states [batch, seq, hidden] (after the final LayerNorm for pre-LN variants).
  virtual torch::Tensor hidden_states(const Batch& batch) = 0;
  // MLM logits [n, vocab] for the hidden states [n, hidden] of the predicted positions.
  virtual torch::Tensor mlm_logits(const torch::Tensor& hidden) = 0;
  // Mean cross-entropy over batch.mlm_positions. Sparse variants decode only those positions;
  // dense ones decode every position and ignore the others (same value, more work).
  virtual torch::Tensor mlm_loss(const Batch& batch) = 0;

  virtual std::int64_t hidden_size() const = 0;
  virtual std::int64_t vocab_size() const = 0;
  virtual std::int64_t max_positions() const = 0;
  // Training FLOPs (forward + backward) per token for rows of `sequence_length` tokens of which
  // `mlm_rate` are predicted, counted as in the Python reference: 6 per weight per token outside
  // the embedding, 6 · vocab · hidden · (predicted share) for the decoder, and 12 · layers ·
  // hidden · sequence_length for attention scores.
  virtual double train_flops_per_token(std::int64_t sequence_length, double mlm_rate) const = 0;
  // Training FLOPs of a batch's extra inputs on top of train_flops_per_token (e.g. the submodels
  // a DACBERT encoder runs over the batch's agreement chunks); 0 for encoders that read none.
  virtual double extra_flops(const Batch& batch) const {
    (void)batch;
    return 0;
  }
  // Everything needed to rebuild the model (name, sizes, options) for exports and checkpoints.
  virtual ConfigNode describe() const = 0;
  // Whether dropout runs in training mode (pretraining turns it off; fine-tuning on).
  virtual void set_dropout_enabled(bool enabled) = 0;
  // The Batch::extras names this encoder reads (e.g. "agreement/subject_verb"), so that the
  // trainer knows what to load with each batch; plain encoders read none.
  virtual std::vector<std::string> extra_inputs() const { return {}; }
  // Values worth following over training (DACBERT's gate and projection norm per agreement type),
  // added to every metrics record; none by default.
  virtual std::map<std::string, double> monitored_values() const { return {}; }

  // Elements of every parameter, frozen ones included.
  std::int64_t parameter_count() const {
    std::int64_t count = 0;
    for (const auto& parameter : parameters(/*recurse=*/true)) count += parameter.numel();
    return count;
  }

 protected:
  // The seam for extra per-token inputs: receives the summed token (and position) embeddings
  // [batch, seq, hidden] before the embedding LayerNorm and returns what enters the LayerNorm.
  // The default ignores every extra, so plain encoders are unaffected by them.
  virtual torch::Tensor combine_extras(torch::Tensor embeddings, const Batch& batch) {
    (void)batch;
    return embeddings;
  }
};

}  // namespace dac
