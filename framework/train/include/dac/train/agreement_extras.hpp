// Agreement chunks for the batches of an encoder that reads them (DACBERT): the batch's rows'
// chunks from the annotation sidecars, as the "agreement/<type>" extras [chunks, width] of flat
// token indices (-1 padding) that the encoder's agreement path takes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dac/kinds/encoder.hpp"
#include "dac/train/mlm_batch.hpp"

namespace dac::train {

// The longest chunk kept, in wordpieces (longer chunks keep their first ones).
inline constexpr std::int64_t kMaxChunkWordpieces = 32;

// The agreement types an encoder reads: its extra_inputs() named "agreement/<type>".
std::vector<std::string> agreement_types_read_by(const Encoder& encoder);

// One agreement type's extra for a batch from its chunks (each the flat token indices of its
// members): [chunks, width] with -1 padding, as wide as the longest chunk but at most
// max_chunk_wordpieces (longer chunks keep their first ones).
torch::Tensor agreement_extra(const std::vector<std::vector<std::int64_t>>& chunks,
                              std::int64_t max_chunk_wordpieces = kMaxChunkWordpieces);

// Extras for batches of `shards` (in the loader's order): every type's chunks, each tensor as
// wide as the batch's longest chunk of that type (at most max_chunk_wordpieces). A UserError
// when a sidecar is missing or lacks a type.
MlmBatchExtras agreement_batch_extras(const std::vector<std::filesystem::path>& shards,
                                      const std::vector<std::string>& types,
                                      std::int64_t max_chunk_wordpieces = kMaxChunkWordpieces);

// Loads stage 1's submodels (submodels.ckpt of an agreement_submodels stage) into the encoder's
// modules of the same names, submodel_<type> for each of `types`. A UserError when the encoder
// or the checkpoint lacks a type's submodel or its shapes differ.
void load_stage_one_submodels(const std::filesystem::path& checkpoint, torch::nn::Module& encoder,
                              const std::vector<std::string>& types);

}  // namespace dac::train
