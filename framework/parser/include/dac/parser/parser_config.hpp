// The built-in tagger and dependency parser's settings: network sizes and training
// hyperparameters, the `accurate` and `fast` presets, and their conversion to and from config
// tables (the model file stores the table it was trained with). No torch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/options.hpp"

namespace dac::parser {

struct ParserConfig {
  // Inputs: a lower-cased word embedding (words seen min_word_count times in training), a sum of
  // hashed prefix/suffix embeddings, and a word-shape embedding.
  std::int64_t word_dim = 100;
  std::int64_t min_word_count = 2;
  std::int64_t affix_dim = 100;
  std::int64_t affix_buckets = 65536;
  std::int64_t shape_dim = 16;
  // The encoder: a bidirectional LSTM.
  std::int64_t lstm_layers = 3;
  std::int64_t lstm_hidden = 300;  // per direction
  // The heads: UPOS tagger MLP, biaffine arc scorer, bilinear relation classifier.
  std::int64_t tag_hidden = 200;
  std::int64_t arc_dim = 500;
  std::int64_t label_dim = 100;
  double dropout = 0.33;
  double word_dropout = 0.25;
  // Training.
  double learning_rate = 2e-3;
  double beta2 = 0.9;
  double gradient_clip = 5.0;
  std::int64_t batch_words = 1500;
  std::int64_t epochs = 60;
  double time_limit_minutes = 110;  // training stops after the epoch that passes it
  std::int64_t seed = 1;
};

// The keys above with their defaults and help, for `dacrun train-parser --set` and the
// `train_parser` stage.
ConfigSchema parser_config_schema();

// The preset's settings ("accurate" or "fast"); a UserError for another name.
ParserConfig parser_preset(const std::string& name);
std::vector<std::string> parser_preset_names();

// The preset, then every key present in `overrides` (validated against parser_config_schema()).
ParserConfig parser_config_from(const std::string& preset, const ConfigNode& overrides,
                                const std::string& path);
ConfigNode to_config(const ParserConfig& config);
ParserConfig parser_config_from_table(const ConfigNode& table, const std::string& path);

}  // namespace dac::parser
