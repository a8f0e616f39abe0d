// The sizes and regularisation of a BERT-style encoder, read from an encoder plugin's options.
// Defaults are the Crammed BERT recipe (about 119.6 M parameters at vocabulary 32768).
#pragma once

#include <cstdint>

#include "dac/config.hpp"
#include "dac/options.hpp"

namespace dac::model {

struct EncoderSize {
  std::int64_t vocab_size = 32768;
  std::int64_t hidden = 768;
  std::int64_t layers = 16;
  std::int64_t heads = 12;
  std::int64_t intermediate = 3072;  // FFN input projection width (GLU halves it)
  std::int64_t max_positions = 128;
  std::int64_t type_vocab_size = 0;  // segment embeddings (0 = none, the Crammed recipe)
  std::int64_t padding_id = 0;
  double norm_eps = 1e-12;
  double init_std = 0.02;
  double hidden_dropout = 0.1;
  double attention_dropout = 0.1;
  double embedding_dropout = 0.1;
  // The fused GELU-GLU, MLM cross-entropy and pre-matmul LayerNorms (dac/model/fused_ops.hpp):
  // the same function with fewer passes over memory on CUDA (on the CPU, slightly slower).
  bool fused_kernels = true;
};

// Adds the size keys (vocab_size, hidden, layers, heads, intermediate, max_positions,
// type_vocab_size, padding_id, norm_eps, init_std, hidden_dropout, attention_dropout,
// embedding_dropout, fused_kernels) with `defaults` as their default values.
ConfigSchema& add_encoder_size_keys(ConfigSchema& schema, const EncoderSize& defaults);
// Reads them back; a ConfigError (naming the key) when hidden is not a multiple of heads or the
// padding id is outside the vocabulary.
EncoderSize encoder_size_from(const Options& options);
// The same keys as a table (for describe()).
void write_encoder_size(const EncoderSize& size, ConfigNode& table);

}  // namespace dac::model
