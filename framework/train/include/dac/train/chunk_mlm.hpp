// Stage 1 of DACBERT: the chunks of each agreement type gathered from prepared shards and their
// sidecars, and MLM inside a chunk — at least one position masked, the controller or target
// preferred — for training the submodels.
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "dac/kinds/encoder.hpp"
#include "dac/kinds/submodel.hpp"

namespace dac::train {

// One chunk's wordpieces, with where its controller and target sit among them (-1: cut off).
struct ChunkExample {
  std::vector<std::int32_t> ids;
  std::int32_t controller = -1;
  std::int32_t target = -1;
};

// Per type (in the order of `types`), the chunks of every row of `shards`, each cut to
// max_wordpieces, at most max_per_type per type (the first ones in row order). A UserError when
// a sidecar is missing or lacks a type.
std::vector<std::vector<ChunkExample>> read_chunk_examples(
    const std::vector<std::filesystem::path>& shards, const std::vector<std::string>& types,
    std::int64_t max_wordpieces, std::int64_t max_per_type);

struct ChunkMaskingSpec {
  std::int32_t mask_id = 0;
  std::int32_t padding_id = 0;
  double rate = 0.15;          // share of each chunk's positions masked (at least one)
  double anchor_share = 0.75;  // chance that the first masked position is the controller or target
};

// A batch of the chunks `indices`: input_ids [chunks, longest] with masked positions set to
// mask_id (padding 0), mlm_positions (ascending flat indices) and mlm_labels.
Batch chunk_mlm_batch(const std::vector<ChunkExample>& chunks,
                      const std::vector<std::size_t>& indices, const ChunkMaskingSpec& masking,
                      std::mt19937_64& random);

// Mean cross-entropy of the submodel's predictions at the batch's masked positions.
torch::Tensor chunk_mlm_loss(Submodel& submodel, const Batch& batch);

}  // namespace dac::train
