// The parser settings' keys, presets and config-table conversion, all driven by one field table.
#include "dac/parser/parser_config.hpp"

#include <variant>

#include "dac/error.hpp"

namespace dac::parser {

namespace {

struct Field {
  const char* name;
  const char* help;
  std::variant<std::int64_t ParserConfig::*, double ParserConfig::*> member;
};

const std::vector<Field>& fields() {
  static const std::vector<Field> table = {
      {"word_dim", "width of the lower-cased word embedding", &ParserConfig::word_dim},
      {"min_word_count", "training occurrences a word needs to get its own embedding",
       &ParserConfig::min_word_count},
      {"affix_dim", "width of the hashed prefix/suffix embeddings", &ParserConfig::affix_dim},
      {"affix_buckets", "hash buckets of the prefix/suffix embeddings",
       &ParserConfig::affix_buckets},
      {"shape_dim", "width of the word-shape embedding", &ParserConfig::shape_dim},
      {"lstm_layers", "bidirectional LSTM layers", &ParserConfig::lstm_layers},
      {"lstm_hidden", "LSTM width per direction", &ParserConfig::lstm_hidden},
      {"tag_hidden", "hidden width of the UPOS tagger", &ParserConfig::tag_hidden},
      {"arc_dim", "width of the biaffine arc scorer's projections", &ParserConfig::arc_dim},
      {"label_dim", "width of the relation classifier's projections", &ParserConfig::label_dim},
      {"dropout", "dropout on inputs, LSTM outputs and projections", &ParserConfig::dropout},
      {"word_dropout", "probability of replacing a word by the unknown word in training",
       &ParserConfig::word_dropout},
      {"learning_rate", "Adam learning rate", &ParserConfig::learning_rate},
      {"beta2", "Adam beta2", &ParserConfig::beta2},
      {"gradient_clip", "gradient norm clip", &ParserConfig::gradient_clip},
      {"batch_words", "words per training batch", &ParserConfig::batch_words},
      {"epochs", "passes over the training treebank", &ParserConfig::epochs},
      {"time_limit_minutes", "training stops after the epoch that passes this wall-clock time",
       &ParserConfig::time_limit_minutes},
      {"seed", "random seed of initialisation, dropout and batch order", &ParserConfig::seed},
  };
  return table;
}

ParserConfig fast_preset() {
  ParserConfig config;
  config.word_dim = 64;
  config.affix_dim = 64;
  config.lstm_layers = 1;
  config.lstm_hidden = 128;
  config.tag_hidden = 100;
  config.arc_dim = 128;
  config.label_dim = 64;
  config.epochs = 30;
  config.time_limit_minutes = 40;
  return config;
}

void apply(const Options& options, ParserConfig& config) {
  for (const Field& field : fields()) {
    if (!options.has(field.name)) continue;
    if (auto integer = std::get_if<std::int64_t ParserConfig::*>(&field.member))
      config.** integer = options.integer(field.name);
    else
      config.*std::get<double ParserConfig::*>(field.member) = options.real(field.name);
  }
}

}  // namespace

ConfigSchema parser_config_schema() {
  ConfigSchema schema;
  for (const Field& field : fields()) {
    if (std::holds_alternative<std::int64_t ParserConfig::*>(field.member))
      schema.optional(field.name, KeyType::Int, field.help).min(0);
    else
      schema.optional(field.name, KeyType::Float, field.help).min(0);
  }
  return schema;
}

std::vector<std::string> parser_preset_names() {
  return {"accurate", "fast"};
}

ParserConfig parser_preset(const std::string& name) {
  if (name == "accurate") return ParserConfig{};
  if (name == "fast") return fast_preset();
  throw UserError("unknown parser preset '" + name + "' (the presets are accurate and fast)");
}

ParserConfig parser_config_from(const std::string& preset, const ConfigNode& overrides,
                                const std::string& path) {
  ParserConfig config = parser_preset(preset);
  apply(parser_config_schema().validate(overrides, path), config);
  return config;
}

ParserConfig parser_config_from_table(const ConfigNode& table, const std::string& path) {
  return parser_config_from("accurate", table, path);
}

ConfigNode to_config(const ParserConfig& config) {
  ConfigNode table = ConfigNode::table();
  for (const Field& field : fields()) {
    if (auto integer = std::get_if<std::int64_t ParserConfig::*>(&field.member))
      table.set(field.name, ConfigNode::integer(config.**integer));
    else
      table.set(field.name,
                ConfigNode::real(config.*std::get<double ParserConfig::*>(field.member)));
  }
  return table;
}

}  // namespace dac::parser
