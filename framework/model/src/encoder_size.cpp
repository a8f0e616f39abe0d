// Encoder sizes as config keys: the schema, reading and checking them, and writing them back.
#include "dac/model/encoder_size.hpp"

#include <string>

namespace dac::model {

ConfigSchema& add_encoder_size_keys(ConfigSchema& schema, const EncoderSize& defaults) {
  return schema
      .integer("vocab_size", defaults.vocab_size, "rows of the token embedding (and MLM classes)")
      .min(1)
      .integer("hidden", defaults.hidden, "hidden width (a multiple of heads)")
      .min(1)
      .integer("layers", defaults.layers, "number of transformer blocks")
      .min(1)
      .integer("heads", defaults.heads, "attention heads per block")
      .min(1)
      .integer("intermediate", defaults.intermediate, "width of the feed-forward input projection")
      .min(1)
      .integer("max_positions", defaults.max_positions, "longest sequence the encoder accepts")
      .min(1)
      .integer("type_vocab_size", defaults.type_vocab_size,
               "segment (token type) embeddings; 0 = none")
      .min(0)
      .integer("padding_id", defaults.padding_id,
               "token id of [PAD] (its embedding row starts at 0)")
      .min(0)
      .real("norm_eps", defaults.norm_eps, "LayerNorm epsilon")
      .min(0)
      .real("init_std", defaults.init_std, "standard deviation of the normal weight init")
      .min(0)
      .real("hidden_dropout", defaults.hidden_dropout, "dropout after attention and feed-forward")
      .min(0)
      .max(1)
      .real("attention_dropout", defaults.attention_dropout, "dropout on attention probabilities")
      .min(0)
      .max(1)
      .real("embedding_dropout", defaults.embedding_dropout, "dropout after the embedding norm")
      .min(0)
      .max(1)
      .boolean("fused_kernels", defaults.fused_kernels,
               "fused GELU-GLU, MLM cross-entropy and pre-matmul LayerNorms (one autograd node "
               "each; dacrun's CUDA kernels on a GPU): same function, fewer passes over memory "
               "(on the CPU a little slower: false there is faster)");
}

EncoderSize encoder_size_from(const Options& options) {
  EncoderSize size;
  size.vocab_size = options.integer("vocab_size");
  size.hidden = options.integer("hidden");
  size.layers = options.integer("layers");
  size.heads = options.integer("heads");
  size.intermediate = options.integer("intermediate");
  size.max_positions = options.integer("max_positions");
  size.type_vocab_size = options.integer("type_vocab_size");
  size.padding_id = options.integer("padding_id");
  size.norm_eps = options.real("norm_eps");
  size.init_std = options.real("init_std");
  size.hidden_dropout = options.real("hidden_dropout");
  size.attention_dropout = options.real("attention_dropout");
  size.embedding_dropout = options.real("embedding_dropout");
  size.fused_kernels = options.boolean("fused_kernels");
  if (size.vocab_size < 1) options.fail("vocab_size", "must be at least 1");
  if (size.heads < 1) options.fail("heads", "must be at least 1");
  if (size.hidden < 1) options.fail("hidden", "must be at least 1");
  if (size.hidden % size.heads != 0)
    options.fail("hidden", "hidden (" + std::to_string(size.hidden) +
                               ") must be a multiple of heads (" + std::to_string(size.heads) +
                               ")");
  if (size.padding_id < 0 || size.padding_id >= size.vocab_size)
    options.fail("padding_id", "padding_id " + std::to_string(size.padding_id) +
                                   " is outside the vocabulary (vocab_size " +
                                   std::to_string(size.vocab_size) + ")");
  if (size.layers < 1) options.fail("layers", "must be at least 1");
  if (size.intermediate < 1) options.fail("intermediate", "must be at least 1");
  if (size.max_positions < 1) options.fail("max_positions", "must be at least 1");
  if (size.type_vocab_size < 0) options.fail("type_vocab_size", "must not be negative");
  if (size.norm_eps < 0) options.fail("norm_eps", "must not be negative");
  if (size.init_std < 0) options.fail("init_std", "must not be negative");
  for (const char* key : {"hidden_dropout", "attention_dropout", "embedding_dropout"}) {
    const double p = options.real(key);
    if (p < 0 || p >= 1) options.fail(key, "a dropout probability must be in [0, 1)");
  }
  return size;
}

void write_encoder_size(const EncoderSize& size, ConfigNode& table) {
  table.set("vocab_size", ConfigNode::integer(size.vocab_size));
  table.set("hidden", ConfigNode::integer(size.hidden));
  table.set("layers", ConfigNode::integer(size.layers));
  table.set("heads", ConfigNode::integer(size.heads));
  table.set("intermediate", ConfigNode::integer(size.intermediate));
  table.set("max_positions", ConfigNode::integer(size.max_positions));
  table.set("type_vocab_size", ConfigNode::integer(size.type_vocab_size));
  table.set("padding_id", ConfigNode::integer(size.padding_id));
  table.set("norm_eps", ConfigNode::real(size.norm_eps));
  table.set("init_std", ConfigNode::real(size.init_std));
  table.set("hidden_dropout", ConfigNode::real(size.hidden_dropout));
  table.set("attention_dropout", ConfigNode::real(size.attention_dropout));
  table.set("embedding_dropout", ConfigNode::real(size.embedding_dropout));
  table.set("fused_kernels", ConfigNode::boolean(size.fused_kernels));
}

}  // namespace dac::model
