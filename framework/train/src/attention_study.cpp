// Attention from agreement targets to their controllers, per type, layer and head.
#include "dac/train/attention_study.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>

#include "dac/model/agreement_chunks.hpp"
#include "dac/text/batch_chunks.hpp"
#include "dac/text/token_shard.hpp"
#include "dac/train/agreement_extras.hpp"

namespace dac::train {

namespace {

using torch::indexing::Slice;

// `first` followed by the names of `more` it lacks.
std::vector<std::string> united(std::vector<std::string> first,
                                const std::vector<std::string>& more) {
  for (const std::string& name : more)
    if (std::find(first.begin(), first.end(), name) == first.end()) first.push_back(name);
  return first;
}

// The rows of several shards under one global numbering (the order the chunk reader uses).
class ShardRows {
 public:
  explicit ShardRows(const std::vector<std::filesystem::path>& shards) {
    for (const auto& shard : shards) readers_.emplace_back(shard);
  }
  std::uint64_t rows() const {
    std::uint64_t total = 0;
    for (const auto& reader : readers_) total += reader.rows();
    return total;
  }
  std::uint32_t seq_len() const { return readers_.empty() ? 0 : readers_.front().seq_len(); }
  std::vector<std::int32_t> row(std::uint64_t global) const {
    for (const auto& reader : readers_) {
      if (global < reader.rows()) return reader.row(global);
      global -= reader.rows();
    }
    throw std::out_of_range("row past the last shard");
  }

 private:
  std::vector<text::TokenShardReader> readers_;
};

}  // namespace

double AttentionStudy::mean_share(std::size_t type) const {
  double sum = 0;
  for (const auto& layer : share[type])
    for (double value : layer) sum += value;
  return layers * heads > 0 ? sum / static_cast<double>(layers * heads) : 0;
}

double AttentionStudy::max_share(std::size_t type) const {
  double best = 0;
  for (const auto& layer : share[type])
    for (double value : layer) best = std::max(best, value);
  return best;
}

std::string AttentionStudy::markdown() const {
  std::string text = fmt::format(
      "Attention from each agreement target to its controller: the mean probability per layer and "
      "head over {} rows (attention spread evenly would give {:.4f}).\n",
      rows, uniform_share);
  for (std::size_t k = 0; k < types.size(); ++k) {
    text += fmt::format("\n### {} ({} chunks)\n\n| layer |", types[k], chunks[k]);
    for (std::int64_t h = 0; h < heads; ++h) text += fmt::format(" head {} |", h);
    text += "\n|---|";
    for (std::int64_t h = 0; h < heads; ++h) text += "---:|";
    text += "\n";
    for (std::int64_t l = 0; l < layers; ++l) {
      text += fmt::format("| {} |", l);
      for (std::int64_t h = 0; h < heads; ++h) text += fmt::format(" {:.4f} |", share[k][l][h]);
      text += "\n";
    }
  }
  return text;
}

ConfigNode AttentionStudy::summary() const {
  ConfigNode table = ConfigNode::table();
  for (std::size_t k = 0; k < types.size(); ++k) {
    if (chunks[k] == 0) continue;
    table.set("attention_" + types[k] + "_mean", ConfigNode::real(mean_share(k)));
    table.set("attention_" + types[k] + "_max", ConfigNode::real(max_share(k)));
  }
  table.set("uniform_share", ConfigNode::real(uniform_share));
  table.set("rows", ConfigNode::integer(rows));
  return table;
}

AttentionStudy study_attention_to_controllers(model::CrammedBert& encoder,
                                              const std::vector<std::filesystem::path>& shards,
                                              const std::vector<std::string>& types,
                                              std::int64_t max_rows, std::int64_t batch_rows,
                                              const Compute& compute) {
  const std::vector<std::string> read_by = agreement_types_read_by(encoder);
  const std::vector<std::string> all_types = united(types, read_by);
  const text::BatchChunkReader chunk_reader(shards, all_types);
  const ShardRows shard_rows(shards);
  const std::int64_t seq_len = shard_rows.seq_len();

  AttentionStudy study;
  study.types = types;
  study.layers = encoder.size().layers;
  study.heads = encoder.size().heads;
  study.uniform_share = seq_len > 0 ? 1.0 / static_cast<double>(seq_len) : 0;
  study.chunks.assign(types.size(), 0);
  study.share.assign(types.size(), std::vector<std::vector<double>>(
                                       study.layers, std::vector<double>(study.heads, 0.0)));
  study.rows = std::min<std::int64_t>(max_rows, static_cast<std::int64_t>(shard_rows.rows()));

  torch::NoGradGuard no_grad;
  encoder.to(compute.device);
  encoder.eval();
  for (std::int64_t start = 0; start < study.rows; start += batch_rows) {
    const std::int64_t count = std::min(batch_rows, study.rows - start);
    std::vector<std::uint64_t> row_ids(count);
    std::vector<std::int64_t> ids;
    for (std::int64_t r = 0; r < count; ++r) {
      row_ids[r] = static_cast<std::uint64_t>(start + r);
      const std::vector<std::int32_t> row = shard_rows.row(row_ids[r]);
      ids.insert(ids.end(), row.begin(), row.end());
    }
    Batch batch;
    batch.input_ids = torch::tensor(ids, torch::kInt64).view({count, seq_len});
    if (!read_by.empty()) {
      const auto by_type = chunk_reader.chunks(row_ids);
      for (const std::string& type : read_by) {
        const auto slot = static_cast<std::size_t>(
            std::find(all_types.begin(), all_types.end(), type) - all_types.begin());
        batch.extras[model::agreement_extra_name(type)] = agreement_extra(by_type[slot]);
      }
    }
    const std::vector<torch::Tensor> maps = encoder.attention_maps(batch.to(compute.device));

    // Per type, every chunk's (row in batch, target, controller).
    std::vector<std::vector<std::int64_t>> rows(types.size()), targets(types.size()),
        controllers(types.size());
    for (std::int64_t r = 0; r < count; ++r) {
      const auto row_chunks = chunk_reader.row_chunks(row_ids[r]);
      for (std::size_t k = 0; k < types.size(); ++k)
        for (const text::AnchoredChunk& chunk : row_chunks[k]) {
          if (chunk.controller == chunk.target) continue;
          rows[k].push_back(r);
          targets[k].push_back(chunk.target);
          controllers[k].push_back(chunk.controller);
        }
    }
    for (std::size_t k = 0; k < types.size(); ++k) {
      if (rows[k].empty()) continue;
      study.chunks[k] += static_cast<std::int64_t>(rows[k].size());
      const auto index = [&](const std::vector<std::int64_t>& values) {
        return torch::tensor(values, torch::kInt64).to(compute.device);
      };
      const torch::Tensor b = index(rows[k]), t = index(targets[k]), c = index(controllers[k]);
      for (std::int64_t l = 0; l < study.layers; ++l) {
        // [chunks, heads]: the probability from each target to its controller in every head.
        const torch::Tensor sums =
            maps[l].index({b, Slice(), t, c}).to(torch::kFloat64).sum(0).cpu();
        for (std::int64_t h = 0; h < study.heads; ++h)
          study.share[k][l][h] += sums[h].item<double>();
      }
    }
  }
  for (std::size_t k = 0; k < types.size(); ++k)
    for (auto& layer : study.share[k])
      for (double& value : layer)
        if (study.chunks[k] > 0) value /= static_cast<double>(study.chunks[k]);
  return study;
}

}  // namespace dac::train
