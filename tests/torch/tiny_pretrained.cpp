// Small pretrained models for the torch tests (see tiny_pretrained.hpp).
#include "tiny_pretrained.hpp"

#include "dac/train/checkpoint.hpp"

namespace dac::test {

ConfigNode tiny_encoder_table(const std::string& name, std::int64_t vocab_size,
                              std::int64_t max_positions, std::int64_t layers) {
  ConfigNode model = ConfigNode::table();
  model.set("name", ConfigNode::string(name));
  model.set("layers", ConfigNode::integer(layers));
  model.set("hidden", ConfigNode::integer(32));
  model.set("heads", ConfigNode::integer(2));
  model.set("intermediate", ConfigNode::integer(64));
  model.set("vocab_size", ConfigNode::integer(vocab_size));
  model.set("max_positions", ConfigNode::integer(max_positions));
  return model;
}

ConfigNode tiny_submodel_table() {
  ConfigNode submodel = ConfigNode::table();
  submodel.set("name", ConfigNode::string("chunk_transformer"));
  submodel.set("hidden", ConfigNode::integer(16));
  submodel.set("layers", ConfigNode::integer(1));
  submodel.set("heads", ConfigNode::integer(2));
  submodel.set("intermediate", ConfigNode::integer(32));
  submodel.set("max_positions", ConfigNode::integer(8));
  return submodel;
}

ConfigNode tiny_dacbert_table(const std::vector<std::string>& agreement_types,
                              std::int64_t vocab_size, std::int64_t max_positions,
                              std::int64_t layers) {
  ConfigNode model = tiny_encoder_table("dacbert", vocab_size, max_positions, layers);
  model.set("agreement_types", string_array(agreement_types));
  model.set("submodel", tiny_submodel_table());
  return model;
}

ConfigNode string_array(const std::vector<std::string>& values) {
  ConfigNode array = ConfigNode::array();
  for (const std::string& value : values) array.push_back(ConfigNode::string(value));
  return array;
}

std::vector<std::string> bert_vocab_tokens(const std::vector<std::string>& words) {
  std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  tokens.insert(tokens.end(), words.begin(), words.end());
  return tokens;
}

std::string bert_vocab_text(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& token : bert_vocab_tokens(words)) text += token + "\n";
  return text;
}

std::filesystem::path save_pretrain_checkpoint(const std::filesystem::path& stage,
                                               const Encoder& encoder,
                                               const std::string& vocab_text) {
  train::CheckpointMeta meta;
  meta.encoder_toml = to_toml(encoder.describe());
  meta.vocab_text = vocab_text;
  meta.normalizer = "crammed";
  const std::filesystem::path path = stage / "checkpoints" / "latest.ckpt";
  std::filesystem::create_directories(path.parent_path());
  train::save_checkpoint(path, encoder, nullptr, meta);
  return path;
}

train::Compute one_cpu_thread() {
  train::ComputeRequest request;
  request.device = "cpu";
  request.threads = 1;
  request.peak_tflops = 1;
  return train::resolve_compute(request);
}

}  // namespace dac::test
