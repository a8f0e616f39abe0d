// Stage 1 of DACBERT: chunk examples from prepared data and MLM inside a chunk.
#include "dac/train/chunk_mlm.hpp"

#include <torch/torch.h>

#include <algorithm>

#include "dac/text/batch_chunks.hpp"
#include "dac/text/token_shard.hpp"

namespace dac::train {

namespace fs = std::filesystem;

std::vector<std::vector<ChunkExample>> read_chunk_examples(const std::vector<fs::path>& shards,
                                                           const std::vector<std::string>& types,
                                                           std::int64_t max_wordpieces,
                                                           std::int64_t max_per_type) {
  std::vector<std::vector<ChunkExample>> by_type(types.size());
  for (const fs::path& shard_path : shards) {
    const text::TokenShardReader shard(shard_path);
    const text::BatchChunkReader chunks({shard_path}, types);
    std::vector<std::int32_t> row(shard.seq_len());
    for (std::uint64_t r = 0; r < shard.rows(); ++r) {
      shard.row(r, row);
      const auto row_chunks = chunks.row_chunks(r);
      for (std::size_t t = 0; t < types.size(); ++t) {
        for (const text::AnchoredChunk& chunk : row_chunks[t]) {
          if (static_cast<std::int64_t>(by_type[t].size()) >= max_per_type) break;
          ChunkExample example;
          for (std::size_t i = 0; i < chunk.members.size(); ++i) {
            if (static_cast<std::int64_t>(i) >= max_wordpieces) break;
            const std::uint16_t position = chunk.members[i];
            if (position == chunk.controller) example.controller = static_cast<std::int32_t>(i);
            if (position == chunk.target) example.target = static_cast<std::int32_t>(i);
            example.ids.push_back(row[position]);
          }
          by_type[t].push_back(std::move(example));
        }
      }
    }
  }
  return by_type;
}

Batch chunk_mlm_batch(const std::vector<ChunkExample>& chunks,
                      const std::vector<std::size_t>& indices, const ChunkMaskingSpec& masking,
                      std::mt19937_64& random) {
  std::size_t longest = 1;
  for (const std::size_t index : indices) longest = std::max(longest, chunks[index].ids.size());
  const auto rows = static_cast<std::int64_t>(indices.size());
  const auto width = static_cast<std::int64_t>(longest);
  torch::Tensor ids = torch::full({rows, width}, masking.padding_id, torch::kInt64);
  auto access = ids.accessor<std::int64_t, 2>();
  std::vector<std::int64_t> positions, labels;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (std::int64_t r = 0; r < rows; ++r) {
    const ChunkExample& chunk = chunks[indices[static_cast<std::size_t>(r)]];
    const auto length = static_cast<std::int64_t>(chunk.ids.size());
    for (std::int64_t i = 0; i < length; ++i) access[r][i] = chunk.ids[static_cast<std::size_t>(i)];
    std::vector<bool> masked(static_cast<std::size_t>(length), false);
    // The first masked position: an anchor (controller or target) when the draw says so.
    std::vector<std::int32_t> anchors;
    for (const std::int32_t anchor : {chunk.controller, chunk.target})
      if (anchor >= 0) anchors.push_back(anchor);
    std::int64_t first = static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(length));
    if (!anchors.empty() && uniform(random) < masking.anchor_share)
      first = anchors[random() % anchors.size()];
    masked[static_cast<std::size_t>(first)] = true;
    for (std::int64_t i = 0; i < length; ++i)
      if (uniform(random) < masking.rate) masked[static_cast<std::size_t>(i)] = true;
    for (std::int64_t i = 0; i < length; ++i) {
      if (!masked[static_cast<std::size_t>(i)]) continue;
      positions.push_back(r * width + i);
      labels.push_back(access[r][i]);
      access[r][i] = masking.mask_id;
    }
  }
  Batch batch;
  batch.input_ids = ids;
  batch.mlm_positions = torch::tensor(positions, torch::kInt64);
  batch.mlm_labels = torch::tensor(labels, torch::kInt64);
  return batch;
}

torch::Tensor chunk_mlm_loss(Submodel& submodel, const Batch& batch) {
  const torch::Tensor hidden = submodel.embed(batch.input_ids);
  const torch::Tensor picked =
      hidden.reshape({-1, hidden.size(-1)}).index_select(0, batch.mlm_positions);
  return torch::nn::functional::cross_entropy(submodel.mlm_logits(picked).to(torch::kFloat32),
                                              batch.mlm_labels);
}

}  // namespace dac::train
