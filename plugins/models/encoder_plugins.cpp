// The crammed_bert and bert_original encoder plugins: config keys with the recipes' defaults.
#include "encoder_plugins.hpp"

#include <string>

#include "dac/model/bert_original.hpp"
#include "dac/model/crammed_bert.hpp"
#include "dac/model/encoder_size.hpp"

namespace dac::plugins {

namespace {

model::EncoderSize bert_original_defaults() {
  model::EncoderSize size;
  size.intermediate = 3072;
  size.type_vocab_size = 2;
  size.max_positions = 512;
  return size;
}

}  // namespace

PluginSpec crammed_bert_spec() {
  ConfigSchema schema;
  model::add_encoder_size_keys(schema, model::EncoderSize{});
  schema.boolean("sparse_prediction", true,
                 "decode only the masked positions (false: decode every position, same loss)");
  return PluginSpec{.name = "crammed_bert",
                    .version = "1",
                    .summary =
                        "Crammed BERT: pre-LN blocks, bias-free GELU-GLU, scaled sinusoidal "
                        "positions, tied sparse decoder (119.6 M parameters by default)",
                    .schema = std::move(schema),
                    .config_sections = {}};
}

std::unique_ptr<Encoder> make_crammed_bert(const Options& options) {
  const model::EncoderSize size = model::encoder_size_from(options);
  if (size.intermediate % 2 != 0)
    options.fail("intermediate", "intermediate (" + std::to_string(size.intermediate) +
                                     ") must be even: the GELU-GLU splits it into two halves");
  return std::make_unique<model::CrammedBert>(size, options.boolean("sparse_prediction"));
}

PluginSpec bert_original_spec() {
  ConfigSchema schema;
  model::add_encoder_size_keys(schema, bert_original_defaults());
  schema.boolean("sparse_prediction", false,
                 "decode only the masked positions (default: every position, as the original)");
  return PluginSpec{.name = "bert_original",
                    .version = "1",
                    .summary =
                        "original post-LN BERT: learned positions, segment embeddings, "
                        "biases, GELU feed-forward, MLM head transform, dense decoder",
                    .schema = std::move(schema),
                    .config_sections = {}};
}

std::unique_ptr<Encoder> make_bert_original(const Options& options) {
  return std::make_unique<model::BertOriginal>(model::encoder_size_from(options),
                                               options.boolean("sparse_prediction"));
}

}  // namespace dac::plugins
