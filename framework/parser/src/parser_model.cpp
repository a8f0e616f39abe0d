// Parser model files and batch prediction.
#include "parser_model.hpp"

#include <limits>

#include "dac/error.hpp"
#include "dac/parser/tree_decoder.hpp"
#include "dac/safetensors.hpp"
#include "parser_batch.hpp"

namespace dac::parser {

ParserModel new_parser_model(const ParserConfig& config, ParserVocab vocab) {
  ParserModel model{config, std::move(vocab), nullptr, {}};
  model.network = ParserNetwork(config, model.vocab.word_count(),
                                static_cast<std::int64_t>(model.vocab.upos().size()),
                                static_cast<std::int64_t>(model.vocab.relations().size()));
  return model;
}

void save_parser_model(const ParserModel& model, const std::filesystem::path& path) {
  std::vector<torch::Tensor> keep;
  std::vector<SafetensorsEntry> entries;
  for (const auto& parameter : model.network->named_parameters()) {
    torch::Tensor tensor = parameter.value().detach().to(torch::kCPU, torch::kFloat32).contiguous();
    keep.push_back(tensor);
    entries.push_back({parameter.key(), "F32", tensor.sizes().vec(), tensor.data_ptr(),
                       static_cast<std::size_t>(tensor.numel()) * sizeof(float)});
  }
  std::map<std::string, std::string> metadata = model.facts;
  metadata["format"] = kParserFormat;
  metadata["format_version"] = std::to_string(kParserFormatVersion);
  metadata["config"] = to_toml(to_config(model.config));
  model.vocab.write_metadata(metadata);
  write_safetensors(path, entries, metadata);
}

ParserModel load_parser_model(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path))
    throw UserError(path.string() +
                    ": parser model not found (train one with `dacrun "
                    "train-parser`)");
  const SafetensorsFile file = read_safetensors(path);
  const std::string source = path.string();
  auto meta = [&](const std::string& key) -> const std::string* {
    auto found = file.metadata.find(key);
    return found == file.metadata.end() ? nullptr : &found->second;
  };
  if (!meta("format") || *meta("format") != kParserFormat)
    throw UserError(source + ": not a dacrun parser model (no format '" +
                    std::string(kParserFormat) + "' in its metadata)");
  const std::string version = meta("format_version") ? *meta("format_version") : "?";
  if (version != std::to_string(kParserFormatVersion))
    throw UserError(source + ": parser model format version " + version +
                    ", but this dacrun reads version " + std::to_string(kParserFormatVersion) +
                    "; retrain it with `dacrun train-parser` or use the dacrun that wrote it");
  const ParserConfig config =
      parser_config_from_table(parse_toml(*meta("config"), source + " (config)"), "config");
  ParserModel model = new_parser_model(
      config, ParserVocab::read_metadata(file.metadata, config.affix_buckets, source));
  for (const auto& [key, value] : file.metadata)
    if (key != "config" && key != "words" && key != "upos" && key != "relations")
      model.facts[key] = value;
  torch::NoGradGuard no_grad;
  for (auto& parameter : model.network->named_parameters()) {
    auto found = file.tensors.find(parameter.key());
    if (found == file.tensors.end() || found->second.dtype != "F32" ||
        found->second.shape != parameter.value().sizes().vec())
      throw UserError(source + ": parser model weight '" + parameter.key() +
                      "' is missing or has another shape than its config describes");
    const torch::Tensor stored =
        torch::from_blob(const_cast<std::uint8_t*>(file.data.data() + found->second.begin),
                         found->second.shape, torch::kFloat32);
    parameter.value().copy_(stored);
  }
  model.network->eval();
  return model;
}

void predict(ParserModel& model, const std::vector<Sentence*>& sentences) {
  if (sentences.empty()) return;
  std::vector<const Sentence*> inputs(sentences.begin(), sentences.end());
  const torch::Device device = model.network->parameters().front().device();
  ParserBatch batch = make_batch(inputs, model.vocab, /*gold=*/false);
  if (!device.is_cpu()) batch = to_device(batch, device);
  const ParserScores scores = model.network->forward(batch);
  const torch::Tensor tags = scores.upos.argmax(-1).cpu().contiguous();
  const torch::Tensor arcs = scores.arcs.to(torch::kCPU, torch::kFloat32).contiguous();
  const auto width = arcs.size(1);
  std::vector<std::int64_t> head_nodes(sentences.size() * width, 0);
  for (std::size_t b = 0; b < sentences.size(); ++b) {
    const int words = static_cast<int>(sentences[b]->words.size());
    const int n = words + 1;
    std::vector<float> matrix(static_cast<std::size_t>(n) * n);
    const float* data = arcs[static_cast<std::int64_t>(b)].data_ptr<float>();
    for (int d = 0; d < n; ++d)
      for (int h = 0; h < n; ++h) matrix[d * n + h] = data[d * width + h];
    const std::vector<int> heads = decode_tree(matrix, words);
    for (int d = 1; d < n; ++d) head_nodes[b * width + d] = heads[d];
  }
  const torch::Tensor head_tensor =
      torch::from_blob(head_nodes.data(), {static_cast<std::int64_t>(sentences.size()), width},
                       torch::kInt64)
          .to(device);
  torch::Tensor relation_scores = model.network->relation_scores(scores, head_tensor);
  // The root's child is labelled `root`; no other word is.
  const std::int64_t root = model.vocab.relation_id("root");
  if (root >= 0) {
    const torch::Tensor is_root_child = (head_tensor == 0).unsqueeze(-1);
    const torch::Tensor is_root_label =
        torch::arange(relation_scores.size(-1), head_tensor.options()).eq(root).view({1, 1, -1});
    relation_scores = relation_scores.masked_fill(is_root_child.logical_xor(is_root_label),
                                                  -std::numeric_limits<float>::infinity());
  }
  const torch::Tensor relations = relation_scores.argmax(-1).cpu().contiguous();
  const auto* tag_ids = tags.data_ptr<std::int64_t>();
  const auto* relation_ids = relations.data_ptr<std::int64_t>();
  for (std::size_t b = 0; b < sentences.size(); ++b) {
    auto& words = sentences[b]->words;
    for (std::size_t i = 0; i < words.size(); ++i) {
      const std::size_t at = b * width + i + 1;
      words[i].upos = model.vocab.upos()[tag_ids[at]];
      words[i].head = static_cast<int>(head_nodes[at]) - 1;
      words[i].deprel = model.vocab.relations()[relation_ids[at]];
    }
  }
}

}  // namespace dac::parser
